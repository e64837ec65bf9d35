// Jagatap & Hegde's alternating minimization for one-hidden-layer ReLU nets (seed 003, "Different
// theory techniques for shallow neural networks", §3.1, Algorithm 1; after Jagatap & Hegde 2018,
// "Learning ReLU networks via alternating minimization"): for y = Σ_q (Xw_q)₊, each iteration
// estimates the activation patterns p_q = 1{Xw_q > 0} and then solves the linear least squares
// vec(W) = argmin ‖[diag(p_1)X … diag(p_k)X] vec(W) − y‖ (by pinv), from W⁰ = I.
import { eye, fromTypedArray, matmul, pinv, reshape, type Tensor, transpose } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { floatMatrix, floatTensor, sameDType } from './check.js';
import { permutationDistance } from './permutation.js';

/** Options of {@link alternatingMinimization}. */
export interface AlternatingMinimizationOptions {
  /** Number of iterations (default 10). */
  iterations?: number;
  /** The start W⁰ [k, d], units as rows (default I: k = d, the report's W⁰ = I). */
  init?: Tensor;
  /** The planted W* [k, d]: the result then holds dist(W_t, W*) (over unit orders, `permutationDistance`) for t = 0…iterations. */
  planted?: Tensor;
}

/** The result of {@link alternatingMinimization}. */
export interface AlternatingMinimizationResult {
  /** The last iterate W_t [k, d], units as rows. */
  W: Tensor;
  /** dist(W_t, W*) for t = 0…iterations when `planted` is given, else empty. */
  distances: number[];
}

/** Alternating minimization (report Algorithm 1) for y = Σ_q (Xw_q)₊, X [n, d], y [n]: activation patterns, then least squares, from W⁰ = I. */
export function alternatingMinimization(X: Tensor, y: Tensor, options: AlternatingMinimizationOptions = {}): AlternatingMinimizationResult {
  const where = 'alternatingMinimization';
  const x = floatMatrix(where, 'X', X);
  const yv = floatTensor(where, 'y', y, 1);
  sameDType(where, ['X', x], ['y', yv]);
  const [n, d] = x.shape as [number, number];
  if (yv.shape[0] !== n) throw new RangeError(`${where}: y ${fmtShape(yv.shape)} must have one output per row of X ${fmtShape(x.shape)}`);
  const o = checkOptions(where, options, { iterations: option.int(0).default(10), init: option.tensor<Tensor>(), planted: option.tensor<Tensor>() });
  const units = (arg: string, t: Tensor) => {
    const m = floatMatrix(where, arg, t, d);
    if (m.dtype !== x.dtype) throw new TypeError(`${where}: ${arg} is ${m.dtype} but X is ${x.dtype}; cast one explicitly`);
    return m;
  };
  let W = o.init === undefined ? eye(d, d, x.dtype) : units('options.init', o.init);
  const k = W.shape[0]!;
  const planted = o.planted === undefined ? undefined : units('options.planted', o.planted);
  if (planted && planted.shape[0] !== k) throw new RangeError(`${where}: options.planted ${fmtShape(planted.shape)} must have as many units (rows) as the start W⁰ ${fmtShape(W.shape)}`);
  const distances = planted ? [permutationDistance(W, planted)] : [];
  const xs = x.dataSync();
  for (let t = 0; t < o.iterations; t++) {
    const Z = matmul(x, transpose(W)).dataSync(); // [n, k]: xᵢᵀw_q
    const B = new Float64Array(n * d * k);
    for (let i = 0; i < n; i++) for (let q = 0; q < k; q++) if (Z[i * k + q]! > 0) for (let c = 0; c < d; c++) B[i * d * k + q * d + c] = xs[i * d + c]!;
    const b = fromTypedArray(x.dtype === 'float64' ? B : Float32Array.from(B), [n, d * k], x.dtype, x.backend);
    W = reshape(matmul(pinv(b), yv), [k, d]);
    if (planted) distances.push(permutationDistance(W, planted));
  }
  return { W, distances };
}
