// Soltanolkotabi's projected gradient descent for a single ReLU (seed 003, "Different theory
// techniques for shallow neural networks", §3.1, eq. 16; after Soltanolkotabi 2017, "Learning ReLUs
// via gradient descent"): for y = (Xw*)₊ and the loss L(w) = (1/2n)Σᵢ((xᵢᵀw)₊ − yᵢ)², the iterates
// w_{τ+1} = P_K(w_τ − μ∇L(w_τ)) with K a sublevel set of a regulariser, e.g. {‖w‖₀ ≤ s} (hard
// thresholding) or {‖w‖₁ ≤ R} (any Euclidean projection passed as `project`).
import { grad } from '@ddopt/autograd';
import { fromTypedArray, matmul, maximum, mean, mul, square, sub, sum, type Tensor, zeros } from '@ddopt/tensor';
import { assertInt, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { floatMatrix, floatTensor, sameDType } from './check.js';

/** The Euclidean projection of x onto {‖w‖₀ ≤ s}: keeps the s entries largest in magnitude (ties to the lower index), zeroes the rest. */
export function hardThreshold(x: Tensor, sparsity: number): Tensor {
  const where = 'hardThreshold';
  const v = floatTensor(where, 'x', x, 1);
  assertInt(where, 'sparsity', sparsity, 0);
  const data = v.dataSync();
  const keep = [...data]
    .map((a, i) => ({ a: Math.abs(a), i }))
    .sort((p, q) => q.a - p.a)
    .slice(0, sparsity);
  const out = new Float64Array(data.length);
  for (const { i } of keep) out[i] = data[i]!;
  return fromTypedArray(v.dtype === 'float64' ? out : Float32Array.from(out), v.shape, v.dtype, v.backend);
}

/** Options of {@link projectedGradientDescent}. */
export interface ProjectedGradientDescentOptions {
  /** Number of steps τ (default 50). */
  steps?: number;
  /** Step size μ (default 1). */
  stepSize?: number;
  /** Keep the `sparsity` largest entries after each step (K = {‖w‖₀ ≤ s}); not with `project`. */
  sparsity?: number;
  /** Any Euclidean projection onto K (e.g. @ddopt/optimizers' `l1Ball({ radius })`); not with `sparsity`. Neither: plain GD. */
  project?: (w: Tensor) => Tensor;
  /** Starting point w₀ [d] (default 0). */
  init?: Tensor;
  /** The planted w* [d]: the result then holds ‖w_τ − w*‖ for τ = 0…steps. */
  planted?: Tensor;
}

/** The result of {@link projectedGradientDescent}. */
export interface ProjectedGradientDescentResult {
  /** The last iterate w_τ [d]. */
  w: Tensor;
  /** ‖w_τ − w*‖ for τ = 0…steps when `planted` is given, else empty. */
  distances: number[];
}

/** Projected GD w ← P_K(w − μ∇L(w)) on L(w) = (1/2n)Σ((xᵢᵀw)₊ − yᵢ)², X [n, d], y [n] (report eq. 16). */
export function projectedGradientDescent(X: Tensor, y: Tensor, options: ProjectedGradientDescentOptions = {}): ProjectedGradientDescentResult {
  const where = 'projectedGradientDescent';
  const x = floatMatrix(where, 'X', X);
  const yv = floatTensor(where, 'y', y, 1);
  sameDType(where, ['X', x], ['y', yv]);
  const [n, d] = x.shape as [number, number];
  if (yv.shape[0] !== n) throw new RangeError(`${where}: y ${fmtShape(yv.shape)} must have one output per row of X ${fmtShape(x.shape)}`);
  const o = checkOptions(where, options, {
    steps: option.int(0).default(50),
    stepSize: option.number({ above: 0 }).default(1),
    sparsity: option.int(1, d),
    project: option.fn<(w: Tensor) => Tensor>(),
    init: option.tensor<Tensor>(),
    planted: option.tensor<Tensor>(),
  });
  if (o.sparsity !== undefined && o.project !== undefined) throw new TypeError(`${where}: give options.sparsity (hard thresholding) or options.project, not both`);
  const vector = (arg: string, t: Tensor | undefined) => {
    if (t === undefined) return undefined;
    const v = floatTensor(where, arg, t, 1);
    if (v.shape[0] !== d || v.dtype !== x.dtype) throw new RangeError(`${where}: ${arg} must be a ${x.dtype} vector [${d}] (one entry per column of X), got ${v.dtype} ${fmtShape(v.shape)}`);
    return v;
  };
  const planted = vector('options.planted', o.planted);
  const sparsity = o.sparsity;
  const project = sparsity !== undefined ? (w: Tensor) => hardThreshold(w, sparsity) : o.project;
  const loss = (w: Tensor) => mul(mean(square(sub(maximum(matmul(x, w), 0), yv))), 0.5);
  const g = grad(loss);
  let w = vector('options.init', o.init) ?? zeros([d], x.dtype);
  const dist = (v: Tensor) => Math.sqrt(sum(square(sub(v, planted!))).item());
  const distances = planted ? [dist(w)] : [];
  for (let t = 0; t < o.steps; t++) {
    const moved = sub(w, mul(g(w), o.stepSize));
    w = project ? project(moved) : moved;
    if (planted) distances.push(dist(w));
  }
  return { w, distances };
}
