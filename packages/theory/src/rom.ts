// EP-ROM and AP-ROM for low-rank matrix estimation of quadratic nets (seed 003, "Different theory
// techniques for shallow neural networks", §3.1, Algorithms 2 and 3; after Soltani & Hegde 2018,
// "Towards provable learning of polynomial neural networks using low-rank matrix estimation"): for
// yᵢ = xᵢᵀL*xᵢ with L* symmetric of rank r, L_{t+1} = P_r(L_t − (1/2m)Σᵢ(xᵢᵀL_txᵢ − yᵢ)xᵢxᵢᵀ + cI),
// c = (1/2m)ΣᵢxᵢᵀL_txᵢ − ½ŷ. For Gaussian x, E[(xᵀMx)xxᵀ] = 2M + tr(M)I (Isserlis), so the gradient
// term carries ½tr(L_t − L*)I and the correction must be added; the report prints −cI (`traceCorrection:
// 'subtract'`), which doubles the trace error. EP-ROM projects exactly (eigh of the formed p×p matrix),
// AP-ROM approximately and matrix-free (a randomized subspace iteration through X, matvecs only).
import { add, eigh, eye, fromTypedArray, type Key, matmul, mean, mul, qr, randn, reshape, splitKey, square, sub, sum, type Tensor, transpose, zeros } from '@ddopt/tensor';
import { assertInt, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { floatMatrix, floatTensor, sameDType } from './check.js';

/** The best rank-r approximation in Frobenius norm of a symmetric M [p, p]: Σ of its r eigenpairs largest in |λ| (Eckart–Young). */
export function symmetricRankProjection(M: Tensor, rank: number): Tensor {
  const where = 'symmetricRankProjection';
  const m = floatMatrix(where, 'M', M);
  const p = m.shape[0]!;
  if (m.shape[1] !== p) throw new RangeError(`${where}: M must be square [p, p], got ${fmtShape(m.shape)}`);
  assertInt(where, 'rank', rank, 0);
  if (rank > p) throw new RangeError(`${where}: rank must be at most p = ${p}, got ${rank}`);
  const { values, vectors } = eigh(m);
  const lam = values.dataSync();
  const idx = [...lam]
    .map((v, i) => ({ v, i }))
    .sort((a, b) => Math.abs(b.v) - Math.abs(a.v))
    .slice(0, rank);
  const V = vectors.dataSync();
  const out = new Float64Array(p * p);
  for (const { v, i } of idx) for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) out[a * p + b]! += v * V[a * p + i]! * V[b * p + i]!;
  return fromTypedArray(m.dtype === 'float64' ? out : Float32Array.from(out), [p, p], m.dtype, m.backend);
}

/** Options shared by {@link epRom} and {@link apRom}. */
export interface RomOptions {
  /** The rank r of the estimate (required). */
  rank: number;
  /** Number of iterations (default 20). */
  iterations?: number;
  /** The sign of the trace correction cI: 'add' (correct, default) or 'subtract' (as the report prints it). */
  traceCorrection?: 'add' | 'subtract';
  /** The planted L* [p, p]: the result then holds ‖L_t − L*‖_F for t = 0…iterations. */
  planted?: Tensor;
  /** With `planted`: stop early once ‖L_t − L*‖_F/‖L*‖_F is not below this (default Infinity: only at ∞ or NaN). */
  divergenceLimit?: number;
}

/** Options of {@link apRom}: those of {@link epRom} and the randomized subspace iteration's. */
export interface ApRomOptions extends RomOptions {
  /** The PRNG key of the sketches (required). */
  key: Key;
  /** Extra sketch columns beyond r (default 4). */
  oversampling?: number;
  /** Power steps of the subspace iteration (default 2). */
  powerIterations?: number;
}

/** The result of {@link epRom}. */
export interface EpRomResult {
  /** The estimate L_t [p, p], symmetric of rank ≤ r. */
  L: Tensor;
  /** ‖L_t − L*‖_F for t = 0… when `planted` is given, else empty. */
  distances: number[];
}

/** The result of {@link apRom}: the estimate also as factors L = Q diag(λ) Qᵀ. */
export interface ApRomResult extends EpRomResult {
  /** Orthonormal Q [p, r]. */
  Q: Tensor;
  /** Eigenvalues λ [r]. */
  lambda: Tensor;
}

const ROM_SPEC = {
  rank: option.int(1).required(),
  iterations: option.int(0).default(20),
  traceCorrection: option.oneOf(['add', 'subtract'] as const).default('add'),
  planted: option.tensor<Tensor>(),
  divergenceLimit: option.number({ above: 0 }).default(Number.POSITIVE_INFINITY),
};

function romData(where: string, X: unknown, y: unknown, rank: number, planted: Tensor | undefined) {
  const x = floatMatrix(where, 'X', X);
  const yv = floatTensor(where, 'y', y, 1);
  sameDType(where, ['X', x], ['y', yv]);
  const [m, p] = x.shape as [number, number];
  if (yv.shape[0] !== m) throw new RangeError(`${where}: y ${fmtShape(yv.shape)} must have one output per row of X ${fmtShape(x.shape)}`);
  if (rank > p) throw new RangeError(`${where}: options.rank must be at most p = ${p} (the columns of X), got ${rank}`);
  if (planted !== undefined) {
    const l = floatMatrix(where, 'options.planted', planted);
    if (l.shape[0] !== p || l.shape[1] !== p || l.dtype !== x.dtype) throw new RangeError(`${where}: options.planted must be a ${x.dtype} matrix [${p}, ${p}], got ${l.dtype} ${fmtShape(l.shape)}`);
  }
  return { x, yv, m, p, yHat: mean(yv).item() };
}

const frob = (t: Tensor) => Math.sqrt(sum(square(t)).item());

/** EP-ROM (report Algorithm 2): y = xᵀL*x, X [m, p], y [m]; gradient step with the trace correction, then the exact rank-r projection. */
export function epRom(X: Tensor, y: Tensor, options: RomOptions): EpRomResult {
  const where = 'epRom';
  const o = checkOptions(where, options, ROM_SPEC, { hint: (v) => (typeof v === 'number' ? `the rank is an option: write epRom(X, y, { rank: ${v} })` : undefined) });
  const { x, yv, m, p, yHat } = romData(where, X, y, o.rank, o.planted);
  const quad = (L: Tensor) => sum(mul(matmul(x, L), x), { axis: 1 }); // xᵢᵀLxᵢ
  const sign = o.traceCorrection === 'add' ? 1 : -1;
  const I = eye(p, p, x.dtype);
  let L = zeros([p, p], x.dtype);
  const planted = o.planted;
  const pNorm = planted ? frob(planted) : 1;
  const distances = planted ? [frob(sub(L, planted))] : [];
  for (let t = 0; t < o.iterations; t++) {
    const q = quad(L);
    const G = mul(matmul(transpose(mul(x, reshape(sub(q, yv), [m, 1]))), x), 1 / (2 * m));
    const shift = 0.5 * mean(q).item() - 0.5 * yHat;
    L = symmetricRankProjection(add(sub(L, G), mul(I, sign * shift)), o.rank);
    if (planted) {
      const e = frob(sub(L, planted));
      distances.push(e);
      if (!(e / pNorm < o.divergenceLimit)) break;
    }
  }
  return { L, distances };
}

/** AP-ROM (report Algorithm 3): EP-ROM's step with the rank-r projection approximated matrix-free by a randomized subspace iteration. */
export function apRom(X: Tensor, y: Tensor, options: ApRomOptions): ApRomResult {
  const where = 'apRom';
  const o = checkOptions(where, options, { ...ROM_SPEC, key: option.key().required(), oversampling: option.int(0).default(4), powerIterations: option.int(0).default(2) }, { hint: (v) => (typeof v === 'number' ? `the rank is an option: write apRom(X, y, { rank: ${v}, key })` : undefined) });
  const { x, yv, m, p, yHat } = romData(where, X, y, o.rank, o.planted);
  const r = o.rank;
  const k = Math.min(p, r + o.oversampling);
  const sign = o.traceCorrection === 'add' ? 1 : -1;
  let Q = zeros([p, r], x.dtype);
  let lam = zeros([r], x.dtype);
  const planted = o.planted;
  const pNorm = planted ? frob(planted) : 1;
  const form = () => matmul(mul(Q, lam), transpose(Q));
  const distances = planted ? [frob(sub(form(), planted))] : [];
  const keys = splitKey(o.key, Math.max(o.iterations, 1));
  for (let t = 0; t < o.iterations; t++) {
    const XQ = matmul(x, Q); // [m, r]
    const qx = sum(mul(mul(XQ, XQ), lam), { axis: 1 }); // xᵢᵀL_txᵢ
    const res = reshape(sub(qx, yv), [m, 1]);
    const c = sign * (0.5 * mean(qx).item() - 0.5 * yHat);
    // V ↦ (L_t − G + cI)V through X: G V = (1/2m)Xᵀ((XV) ⊙ res).
    const apply = (V: Tensor) => {
      const LV = matmul(mul(Q, lam), matmul(transpose(Q), V));
      const GV = mul(matmul(transpose(x), mul(matmul(x, V), res)), 1 / (2 * m));
      return add(sub(LV, GV), mul(V, c));
    };
    let Y = apply(randn(keys[t]!, [p, k], { dtype: x.dtype as 'float32' | 'float64' }));
    for (let s = 0; s < o.powerIterations; s++) Y = apply(qr(Y).q);
    const Qs = qr(Y).q;
    const Bm = matmul(transpose(Qs), apply(Qs));
    const { values, vectors } = eigh(mul(add(Bm, transpose(Bm)), 0.5));
    const vals = values.dataSync();
    const order = [...vals]
      .map((v, i) => ({ v, i }))
      .sort((a, b) => Math.abs(b.v) - Math.abs(a.v))
      .slice(0, r);
    const U = vectors.dataSync();
    const Ur = new Float64Array(k * r);
    order.forEach(({ i }, j) => {
      for (let a = 0; a < k; a++) Ur[a * r + j] = U[a * k + i]!;
    });
    const f = (a: Float64Array) => (x.dtype === 'float64' ? a : Float32Array.from(a));
    Q = matmul(Qs, fromTypedArray(f(Ur), [k, r], x.dtype, x.backend));
    lam = fromTypedArray(f(Float64Array.from(order.map((e) => e.v))), [r], x.dtype, x.backend);
    if (planted) {
      const e = frob(sub(form(), planted));
      distances.push(e);
      if (!(e / pNorm < o.divergenceLimit)) break;
    }
  }
  return { L: form(), Q, lambda: lam, distances };
}
