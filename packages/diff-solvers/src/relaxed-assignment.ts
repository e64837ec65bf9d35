// DMM-Net's relaxed linear assignment (Zeng et al. 2019), Algorithm 1 of the discrete-optimizers
// report (seed 003, §3.4): projected gradient descent on Tr(CXᵀ) over
// {X1 = 1, Xᵀ1 ≤ 1, X ≥ 0}, each projection by Dykstra's cyclic algorithm, the average of the
// iterates returned. Written with tensor ops, so it is differentiated by unrolling (to any order).
import { type Tensor, add, div, full, mul, relu, sub, sum } from '@ddopt/tensor';
import { type OptionSpec, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { assertFinite, floatTensor } from './util.js';

/** Options of `relaxedAssignment`. */
export interface RelaxedAssignmentOptions {
  /** X⁰ [n, m] (default the uniform 1/m, which satisfies all three constraints). */
  init?: Tensor;
  /** α, the gradient step (default 0.1). */
  stepSize?: number;
  /** N_grad, gradient steps (default 40). */
  steps?: number;
  /** N_proj, Dykstra cycles per projection (default 10). */
  projections?: number;
}

const OPTIONS = {
  init: option.tensor(),
  stepSize: option.number({ above: 0 }).default(0.1),
  steps: option.int(1).default(40),
  projections: option.int(1).default(10),
} satisfies OptionSpec<RelaxedAssignmentOptions>;

/** P₁: onto {X1 = 1} (rows sum to one). */
function rowsSumToOne(Y: Tensor, m: number): Tensor {
  return sub(Y, div(sub(sum(Y, { axis: -1, keepdims: true }), 1), m));
}

/** P₂: onto {Xᵀ1 ≤ 1} (columns sum to at most one): a column above 1 drops evenly by its excess. */
function columnsAtMostOne(Y: Tensor, n: number): Tensor {
  return sub(Y, div(relu(sub(sum(Y, { axis: -2, keepdims: true }), 1)), n));
}

/**
 * Algorithm 1 of DMM-Net as the report prints it: X^i = X^{i−1} − αC, then N_proj Dykstra cycles
 * over P₁ (X1 = 1), P₂ (Xᵀ1 ≤ 1), P₃ (X ≥ 0) from Y₀ = X^i with the increments q₁, q₂, q₃ reset
 * to zero at every gradient step; returns X̂ = (1/N_grad) Σᵢ X^i. C is [n, m] with n ≤ m (or
 * batched [..., n, m]); differentiable in C and `init` by unrolling.
 */
export function relaxedAssignment(C: Tensor, options?: RelaxedAssignmentOptions): Tensor {
  const where = 'relaxedAssignment';
  const o = checkOptions(where, options, OPTIONS);
  const dtype = floatTensor(where, 'C', C);
  if (C.rank < 2) throw new RangeError(`${where}: C must be a cost matrix [n, m] (or batched [..., n, m]), got ${fmtShape(C.shape)}`);
  const n = C.shape[C.rank - 2]!;
  const m = C.shape[C.rank - 1]!;
  if (n > m) throw new RangeError(`${where}: C ${fmtShape(C.shape)} has more rows (${n}) than columns (${m}), so X1 = 1 with Xᵀ1 ≤ 1 is infeasible; pass Cᵀ`);
  assertFinite(where, 'C', C.dataSync(), C.shape);
  let X = o.init ?? full(C.shape, 1 / m, dtype);
  if (o.init !== undefined) {
    floatTensor(where, 'options.init', o.init);
    if (o.init.dtype !== dtype) throw new TypeError(`${where}: options.init is ${o.init.dtype} but C is ${dtype}; cast explicitly (nothing is cast silently)`);
    if (fmtShape(o.init.shape) !== fmtShape(C.shape)) throw new RangeError(`${where}: options.init must have C's shape ${fmtShape(C.shape)}, got ${fmtShape(o.init.shape)}`);
    assertFinite(where, 'options.init', o.init.dataSync(), o.init.shape);
  }
  const step = mul(C, o.stepSize);
  let total: Tensor | undefined;
  for (let i = 0; i < o.steps; i++) {
    let Y = sub(X, step);
    let q1: Tensor | number = 0;
    let q2: Tensor | number = 0;
    let q3: Tensor | number = 0;
    for (let j = 0; j < o.projections; j++) {
      const a1 = add(Y, q1);
      const Y1 = rowsSumToOne(a1, m);
      q1 = sub(a1, Y1);
      const a2 = add(Y1, q2);
      const Y2 = columnsAtMostOne(a2, n);
      q2 = sub(a2, Y2);
      const a3 = add(Y2, q3);
      const Y3 = relu(a3);
      q3 = sub(a3, Y3);
      // Line 10 of the printed algorithm is blank; Dykstra's cycle continues from Y₃.
      Y = Y3;
    }
    X = Y;
    total = total === undefined ? X : add(total, X);
  }
  return div(total!, o.steps);
}
