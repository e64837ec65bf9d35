// @ddopt/diff-solvers — discrete solvers as differentiable layers: SATNet's MAXSAT SDP layer, DMM's
// relaxed assignment, QP layers, Sinkhorn, and black-box / perturbed differentiation of solvers.
import { version as packageVersion } from '../package.json';

/** The package version, taken from its package.json when the package is built. */
export const version: string = packageVersion;

export { satnet, type Satnet, type SatnetOptions, type SatnetParams, type SatnetInputs, type SatnetContext, type SatnetSolution } from './satnet.js';
export { satnetRound } from './satnet-round.js';
export { linearAssignment } from './linear-assignment.js';
export { relaxedAssignment, type RelaxedAssignmentOptions } from './relaxed-assignment.js';
export { solveQp, type SolveQpOptions, type QpSolution } from './qp.js';
export { sinkhorn, type SinkhornOptions, type SinkhornResult } from './sinkhorn.js';
export { blackboxDiff, perturbed, type BlackboxDiffOptions, type PerturbedOptions } from './blackbox.js';
