// @ddopt/diff-solvers — Differentiable discrete solvers: SATNet's MAXSAT SDP layer, relaxed assignment, QP layers, Sinkhorn (planned).
// The package exists so the layout is visible; its functions land with their own issues.

import { version as packageVersion } from '../package.json';

/** The package version, taken from its package.json when the package is built. */
export const version: string = packageVersion;
