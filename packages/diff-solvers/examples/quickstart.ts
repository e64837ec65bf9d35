// The README's example: every solver of @ddopt/diff-solvers once, with a gradient through it.
import { grad } from '@ddopt/autograd';
import { type Tensor, argmax, mul, oneHot, prng, softmax, sum, tensor } from '@ddopt/tensor';
import { blackboxDiff, linearAssignment, perturbed, relaxedAssignment, satnet, satnetRound, sinkhorn, solveQp } from '@ddopt/diff-solvers';

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });

// SATNet: 4 visible variables, 8 clauses, 2 hidden ones; variables 0 and 1 are given.
const layer = satnet({ n: 4, m: 8, aux: 2, seed: 0 });
const { params } = layer.init(prng(1), { dtype: 'float64' });
const inputs = { z: f64([[1, 0, 0.5, 0.5]]), isInput: tensor([[1, 1, 0, 0]], { dtype: 'int32' }) };
const z = layer.apply(params, inputs); // relaxed outputs in [0, 1]; inputs pass through
const dS = grad((S: Tensor) => sum(layer.apply({ S }, inputs)))(params.S); // the analytic backward
const bits = satnetRound(layer.solve(params, inputs), prng(2)); // Goemans–Williamson rounding
export const satnetOut = { z: z.toArray(), dSShape: dS.shape, bits: bits.toArray() };

// DMM-Net's relaxed assignment beside the exact one (Hungarian).
const C = f64([
  [0.9, 0.1, 0.5],
  [0.2, 0.8, 0.7],
]);
const relaxed = relaxedAssignment(C, { steps: 200, stepSize: 0.2 });
export const assignment = { relaxed: relaxed.toArray(), exact: linearAssignment(C).toArray() };

// A QP layer: min ½‖x‖² + pᵀx subject to x₀ + x₁ ≤ 1, differentiated in p through the KKT conditions.
const Q = f64([
  [1, 0],
  [0, 1],
]);
const qp = (p: Tensor) => solveQp(Q, p, f64([[1, 1]]), f64([1]), null, null);
export const qpOut = { x: qp(f64([-2, -1])).toArray(), dxdp: grad((p: Tensor) => sum(qp(p)))(f64([-2, -1])).toArray() };

// Entropic optimal transport, with the implicit gradient of its cost in M.
const M = f64([
  [0, 1],
  [1, 0],
]);
const ot = sinkhorn(f64([0.5, 0.5]), f64([0.3, 0.7]), M, { reg: 0.1 });
export const otOut = { plan: ot.plan.toArray(), converged: ot.converged, dCost: grad((m: Tensor) => sinkhorn(f64([0.5, 0.5]), f64([0.3, 0.7]), m, { reg: 0.1 }).cost)(M).toArray() };

// Gradients through a solver with none: black-box interpolation and perturbation.
const argmaxOneHot = (x: Tensor) => oneHot(argmax(x, { axis: -1 }), x.shape[x.rank - 1]!, x.dtype);
const matching = blackboxDiff(linearAssignment, { lambda: 10 });
const dW = grad((w: Tensor) => sum(mul(matching(w), f64([[0, 1, 0], [0, 0, 0]]))))(C); // penalise the match 0 → 1
const smooth = perturbed(argmaxOneHot, { numSamples: 2000, sigma: 1, noise: 'gumbel', seed: 3 });
const theta = f64([0.5, 0, -0.5]);
export const blackboxOut = { dW: dW.toArray(), perturbedArgmax: smooth(theta).toArray(), softmax: softmax(theta).toArray() };

console.log(satnetOut, assignment, qpOut, otOut, blackboxOut);
