// Tensor initialization for one-hidden-layer ReLU nets (seed 003, "Different theory techniques for
// shallow neural networks", §3.3.2, Algorithm 4; after Zhong, Song, Jain, Bartlett & Dhillon 2017,
// "Recovery guarantees for one-hidden-layer neural networks"). For y = Σᵢ vᵢ σ(wᵢᵀx), x ~ N(0, I_d),
// the Hermite moments Mⱼ = E[y Heⱼ(x)] are Σᵢ vᵢ mⱼ(‖wᵢ‖) w̄ᵢ^{⊗j} (w̄ = w/‖w‖), with
// mⱼ(σ) = E[σ(σz)Heⱼ(z)], z ~ N(0, 1); for the ReLU mⱼ(σ) = σ·cⱼ, c = (½, 1/√(2π), 0, −1/√(2π)).
// So M₂ = E[y(x⊗x − I)] spans the weights, and since M₃ = 0 for the ReLU the third-order step uses
// M₄ (Zhong et al.'s P₃ with j₃ = 4). Zhong et al. contract it with a random α, M₄(I, I, I, α), which
// weights unit i by αᵀw̄ᵢ; `tensorInitialization` decomposes the full projection M₄(V, V, V, V)
// instead (k⁴ entries), so that no unit is weighted down by a small αᵀw̄ᵢ.
import { add, div, eigh, expandDims, eye, fromTypedArray, type Key, matmul, mean, mul, randn, reshape, splitKey, sqrt, square, sum, type Tensor, transpose } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { floatMatrix, floatTensor, sameDType } from './check.js';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * mⱼ(σ) = E[relu(σz)Heⱼ(z)], z ~ N(0, 1), for j = 1…4 (He₁ = z, He₂ = z² − 1, He₃ = z³ − 3z,
 * He₄ = z⁴ − 6z² + 3): σ/2, σ/√(2π), 0, −σ/√(2π) for σ ≥ 0 (Zhong et al.'s m_{j,i} for the ReLU).
 */
export function reluHermiteCoefficient(j: number, sigma: number): number {
  const where = 'reluHermiteCoefficient';
  if (!Number.isInteger(j) || j < 1 || j > 4) throw new RangeError(`${where}: j must be 1, 2, 3 or 4, got ${String(j)}`);
  if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma < 0) throw new RangeError(`${where}: sigma must be a finite number ≥ 0 (a norm ‖w‖), got ${String(sigma)}`);
  return sigma * [0.5, INV_SQRT_2PI, 0, -INV_SQRT_2PI][j - 1]!;
}

function teacher(where: string, W: unknown, v: unknown): [Tensor, Tensor] {
  const w = floatMatrix(where, 'W', W);
  const vv = floatTensor(where, 'v', v, 1);
  sameDType(where, ['W', w], ['v', vv]);
  if (vv.shape[0] !== w.shape[0]) throw new RangeError(`${where}: v ${fmtShape(vv.shape)} must have one output weight per row of W ${fmtShape(w.shape)}`);
  return [w, vv];
}

/** Row norms ‖wᵢ‖ of W [k, d], [k]. */
const rowNorms = (w: Tensor) => sqrt(sum(square(w), { axis: 1 }));

/**
 * The exact first and second Hermite moments of y = Σᵢ vᵢ relu(wᵢᵀx), x ~ N(0, I), for teacher rows
 * W [k, d] and output weights v [k]: M₁ = E[y x] = ½Σᵢ vᵢwᵢ [d] and M₂ = E[y(x⊗x − I)] =
 * Σᵢ vᵢ wᵢwᵢᵀ/(√(2π)‖wᵢ‖) [d, d] (Zhong et al. 2017, Definition 5.1, with mⱼ of the ReLU).
 */
export function reluHermiteMoments(W: Tensor, v: Tensor): { m1: Tensor; m2: Tensor } {
  const [w, vv] = teacher('reluHermiteMoments', W, v);
  const m1 = mul(matmul(expandDims(vv, 0), w), 0.5);
  const scaled = mul(w, expandDims(mul(div(vv, rowNorms(w)), INV_SQRT_2PI), 1)); // rows vᵢwᵢ/(√(2π)‖wᵢ‖)
  return { m1: reshape(m1, [w.shape[1]!]), m2: matmul(transpose(scaled), w) };
}

/** The sample moments M̂₁ = (1/N)Σ yₙxₙ [d] and M̂₂ = (1/N)Σ yₙ(xₙxₙᵀ − I) [d, d] of inputs X [N, d] and outputs y [N]. */
export function empiricalHermiteMoments(X: Tensor, y: Tensor): { m1: Tensor; m2: Tensor } {
  const [x, yv] = samples('empiricalHermiteMoments', X, y);
  const [n, d] = x.shape as [number, number];
  const m1 = div(matmul(expandDims(yv, 0), x), n);
  const raw = div(matmul(transpose(mul(x, expandDims(yv, 1))), x), n);
  // Symmetrized: (X diag(y))ᵀX is symmetric in exact arithmetic, not always in float32 rounding.
  const m2 = add(mul(add(raw, transpose(raw)), 0.5), mul(eye(d, d, x.dtype), -mean(yv).item()));
  return { m1: reshape(m1, [d]), m2 };
}

function samples(where: string, X: unknown, y: unknown): [Tensor, Tensor] {
  const x = floatMatrix(where, 'X', X);
  const yv = floatTensor(where, 'y', y, 1);
  sameDType(where, ['X', x], ['y', yv]);
  if (yv.shape[0] !== x.shape[0]) throw new RangeError(`${where}: y ${fmtShape(yv.shape)} must have one output per row of X ${fmtShape(x.shape)}`);
  return [x, yv];
}

function projection(where: string, V: unknown, alpha: unknown, d: number, dtype: Tensor['dtype']): [Tensor, Tensor | undefined] {
  const vm = floatMatrix(where, 'V', V);
  const a = alpha === undefined ? undefined : floatTensor(where, 'alpha', alpha, 1);
  if (vm.shape[0] !== d || (a !== undefined && a.shape[0] !== d)) throw new RangeError(`${where}: V must be [d, r] and alpha [d] with d = ${d}, got V ${fmtShape(vm.shape)}${a ? ` and alpha ${fmtShape(a.shape)}` : ''}`);
  if (vm.dtype !== dtype || (a !== undefined && a.dtype !== dtype)) throw new TypeError(`${where}: V and alpha must be ${dtype} like the other arguments; cast one explicitly`);
  return [vm, a];
}

/**
 * The exact projected fourth moment of a ReLU teacher, m₄(σ) = −σ/√(2π), teacher rows W [k, d],
 * output weights v [k], V [d, r]: with α [d], R₃ = M₄(V, V, V, α) = Σᵢ vᵢm₄(‖wᵢ‖)(αᵀw̄ᵢ)(Vᵀw̄ᵢ)^{⊗3}
 * [r, r, r] (Zhong et al.'s P₃ for j₃ = 4); without α, R₄ = M₄(V, V, V, V) = Σᵢ vᵢm₄(‖wᵢ‖)(Vᵀw̄ᵢ)^{⊗4} [r, r, r, r].
 */
export function reluProjectedMoment4(W: Tensor, v: Tensor, V: Tensor, alpha?: Tensor): Tensor {
  const where = 'reluProjectedMoment4';
  const [w, vv] = teacher(where, W, v);
  const [vm, a] = projection(where, V, alpha, w.shape[1]!, w.dtype);
  const norms = rowNorms(w);
  const unit = div(w, expandDims(norms, 1)); // w̄ᵢ rows
  const u = matmul(unit, vm); // [k, r] rows Vᵀw̄ᵢ
  const base = mul(vv, mul(norms, -INV_SQRT_2PI));
  if (a === undefined) return quartic(u, base);
  return cube(u, mul(base, reshape(matmul(unit, expandDims(a, 1)), [w.shape[0]!])));
}

/** Σᵢ cᵢ uᵢ^{⊗4} for rows u [k, r] and weights c [k]; [r, r, r, r]. */
function quartic(u: Tensor, c: Tensor): Tensor {
  const [k, r] = u.shape as [number, number];
  const uu = reshape(mul(expandDims(u, 2), expandDims(u, 1)), [k, r * r]);
  return reshape(matmul(transpose(mul(uu, expandDims(c, 1))), uu), [r, r, r, r]);
}

/** Σᵢ cᵢ uᵢ⊗uᵢ⊗uᵢ for rows u [k, r] and weights c [k]; [r, r, r]. */
function cube(u: Tensor, c: Tensor): Tensor {
  const [k, r] = u.shape as [number, number];
  const uu = reshape(mul(expandDims(u, 2), expandDims(u, 1)), [k, r * r]);
  return reshape(matmul(transpose(mul(u, expandDims(c, 1))), uu), [r, r, r]);
}

/**
 * The sample estimate (1/N)Σ yₙHe₄(xₙ) of M₄ projected like `reluProjectedMoment4` (onto V [d, r],
 * and α [d] in the last slot when given), from inputs X [N, d] and outputs y [N], with the tensor
 * Hermite polynomial He₄(x) = x^{⊗4} − Σ₆ x⊗x⊗I + Σ₃ I⊗I (the six and three placements of I);
 * [r, r, r] with α, [r, r, r, r] without.
 */
export function empiricalProjectedMoment4(X: Tensor, y: Tensor, V: Tensor, alpha?: Tensor): Tensor {
  const where = 'empiricalProjectedMoment4';
  const [x, yv] = samples(where, X, y);
  const [vm, a] = projection(where, V, alpha, x.shape[1]!, x.dtype);
  const n = x.shape[0]!;
  const r = vm.shape[1]!;
  const A = matmul(x, vm); // [N, r] aₙ = Vᵀxₙ
  const G = matmul(transpose(vm), vm).dataSync(); // VᵀV (I packs into it)
  const Q = div(matmul(transpose(mul(A, expandDims(yv, 1))), A), n).dataSync(); // (1/N)Σ y a aᵀ
  const yBar = mean(yv).item();
  const g = (i: number, j: number) => G[i * r + j]!;
  const q = (i: number, j: number) => Q[i * r + j]!;
  if (a === undefined) {
    const t0 = div(quartic(A, yv), n).dataSync(); // (1/N)Σ yₙ aₙ^{⊗4}
    const out = new Float64Array(r ** 4);
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) for (let l = 0; l < r; l++) for (let m = 0; m < r; m++) {
      const pairs = g(i, j) * q(l, m) + g(i, l) * q(j, m) + g(i, m) * q(j, l) + g(j, l) * q(i, m) + g(j, m) * q(i, l) + g(l, m) * q(i, j);
      const pairsII = yBar * (g(i, j) * g(l, m) + g(i, l) * g(j, m) + g(i, m) * g(j, l));
      const at = ((i * r + j) * r + l) * r + m;
      out[at] = t0[at]! - pairs + pairsII;
    }
    return tensorFrom(out, [r, r, r, r], x);
  }
  const b = reshape(matmul(x, expandDims(a, 1)), [n]); // αᵀxₙ
  const yb = mul(yv, b);
  const t0 = div(cube(A, yb), n).dataSync(); // (1/N)Σ yₙbₙ aₙ⊗aₙ⊗aₙ
  const p = div(matmul(expandDims(yb, 0), A), n).dataSync(); // (1/N)Σ y b a
  const c = matmul(expandDims(a, 0), vm).dataSync(); // Vᵀα
  const out = new Float64Array(r * r * r);
  for (let i = 0; i < r; i++)
    for (let j = 0; j < r; j++)
      for (let l = 0; l < r; l++) {
        const pairsI = g(i, j) * p[l]! + g(i, l) * p[j]! + g(j, l) * p[i]!;
        const pairsAlpha = c[i]! * q(j, l) + c[j]! * q(i, l) + c[l]! * q(i, j);
        const pairsII = yBar * (g(i, j) * c[l]! + g(i, l) * c[j]! + g(j, l) * c[i]!);
        out[(i * r + j) * r + l] = t0[(i * r + j) * r + l]! - pairsI - pairsAlpha + pairsII;
      }
  return tensorFrom(out, [r, r, r], x);
}

function tensorFrom(data: Float64Array, shape: number[], like: Tensor): Tensor {
  return fromTypedArray(like.dtype === 'float64' ? data : Float32Array.from(data), shape, like.dtype, like.backend);
}

// Small dense linear algebra on plain arrays (r ≤ a few dozen): the k-dimensional steps of Algorithm 4.

/** Solves A x = b for square A [n, n] (row-major) by Gaussian elimination with partial pivoting. */
function solveSmall(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[piv * n + c]!)) piv = r;
    if (piv !== c) {
      for (let j = 0; j < n; j++) [m[c * n + j], m[piv * n + j]] = [m[piv * n + j]!, m[c * n + j]!];
      [x[c], x[piv]] = [x[piv]!, x[c]!];
    }
    const p = m[c * n + c]! === 0 ? Number.MIN_VALUE : m[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c]! / p;
      if (f === 0) continue;
      for (let j = c; j < n; j++) m[r * n + j]! -= f * m[c * n + j]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let j = r + 1; j < n; j++) s -= m[r * n + j]! * x[j]!;
    x[r] = s / (m[r * n + r]! === 0 ? Number.MIN_VALUE : m[r * n + r]!);
  }
  return x;
}

/** Real eigenvalues of a small square M [n, n] by shifted-free QR iteration (Gram–Schmidt), then eigenvectors by inverse iteration. */
function realEigenvectors(M: Float64Array, n: number): Float64Array[] {
  let scale = 0;
  for (const v of M) scale = Math.max(scale, Math.abs(v));
  if (scale === 0) scale = 1;
  // A fixed irrational shift breaks ties between eigenvalues λ and −λ of equal magnitude.
  const mu = 0.5772156649 * scale;
  let T = Float64Array.from(M);
  for (let i = 0; i < n; i++) T[i * n + i]! -= mu;
  for (let it = 0; it < 2000; it++) {
    // T = QR (modified Gram–Schmidt on the columns), T ← RQ.
    const Q = new Float64Array(n * n);
    const R = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = T[i * n + j]!;
      for (let q = 0; q < j; q++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += Q[i * n + q]! * v[i]!;
        R[q * n + j] = dot;
        for (let i = 0; i < n; i++) v[i]! -= dot * Q[i * n + q]!;
      }
      let nv = 0;
      for (let i = 0; i < n; i++) nv += v[i]! ** 2;
      nv = Math.sqrt(nv);
      R[j * n + j] = nv;
      for (let i = 0; i < n; i++) Q[i * n + j] = nv === 0 ? (i === j ? 1 : 0) : v[i]! / nv;
    }
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = i; q < n; q++) s += R[i * n + q]! * Q[q * n + j]!;
      next[i * n + j] = s;
    }
    T = next;
    let low = 0;
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) low = Math.max(low, Math.abs(T[i * n + j]!));
    if (low < 1e-13 * scale) break;
  }
  const vectors: Float64Array[] = [];
  for (let e = 0; e < n; e++) {
    const lambda = T[e * n + e]! + mu;
    const shifted = Float64Array.from(M);
    for (let i = 0; i < n; i++) shifted[i * n + i]! -= lambda + 1e-10 * scale;
    let x: Float64Array = Float64Array.from({ length: n }, (_, i) => 1 + 0.1 * Math.sin(7 * i + e));
    for (let it = 0; it < 4; it++) {
      x = solveSmall(shifted, x, n);
      const nx = Math.hypot(...x);
      for (let i = 0; i < n; i++) x[i]! /= nx;
    }
    vectors.push(x);
  }
  return vectors;
}

/** T(u, u, u) for a symmetric T [r, r, r] and u [r]. */
function cubicForm(T: Float64Array, u: Float64Array, r: number): number {
  let t = 0;
  for (let a = 0; a < r; a++) for (let c = 0; c < r; c++) for (let e = 0; e < r; e++) t += T[(a * r + c) * r + e]! * u[a]! * u[c]! * u[e]!;
  return t;
}

/**
 * The relative residual ‖T − Σᵢsᵢuᵢ^{⊗order}‖/‖T‖ of the least-squares weights s for unit uᵢ:
 * the normal equations have Gᵢⱼ = (uᵢᵀuⱼ)^order and bᵢ = T(uᵢ, …, uᵢ) (`form`).
 */
function powerFitResidual(T: Float64Array, us: Float64Array[], r: number, order: number, form: (T: Float64Array, u: Float64Array, r: number) => number): number {
  const k = us.length;
  const G = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let a = 0; a < r; a++) dot += us[i]![a]! * us[j]![a]!;
      G[i * k + j] = dot ** order;
    }
    b[i] = form(T, us[i]!, r);
  }
  const s = solveSmall(G, b, k);
  let t2 = 0;
  for (const v of T) t2 += v * v;
  let fit = 0;
  for (let i = 0; i < k; i++) fit += b[i]! * s[i]!;
  return Math.sqrt(Math.max(t2 - fit, 0) / (t2 || 1));
}

/**
 * Jennrich's simultaneous diagonalization (the KCL step of Algorithm 4; Kuleshov, Chaganty & Liang
 * 2015 use several such random contractions): for T = Σᵢ sᵢuᵢ^{⊗3} with k independent uᵢ ∈ Rᵏ,
 * A = T(I, I, η₁) = U D₁Uᵀ and B = T(I, I, η₂) = U D₂Uᵀ, so the eigenvectors of AB⁻¹ are the uᵢ.
 * `trials` random pairs are tried and the one whose rank-k fit leaves the smallest residual is kept.
 */
function decomposeCube(T: Float64Array, r: number, trials: number, key: Key, refine: number): Float64Array[][] {
  const etas = randn(key, [trials, 2, r], { dtype: 'float64' }).dataSync();
  const out: Float64Array[][] = [];
  for (let t = 0; t < trials; t++) {
    const contract = (off: number) => {
      const m = new Float64Array(r * r);
      for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
        let s = 0;
        for (let l = 0; l < r; l++) s += T[(i * r + j) * r + l]! * etas[off + l]!;
        m[i * r + j] = s;
      }
      return m;
    };
    const A = contract(t * 2 * r);
    const B = contract(t * 2 * r + r);
    // AB⁻¹ = (B⁻ᵀAᵀ)ᵀ = (B⁻¹A)ᵀ for symmetric A, B: solve B X = A column by column, then transpose.
    const X = new Float64Array(r * r);
    for (let j = 0; j < r; j++) {
      const col = solveSmall(B, Float64Array.from({ length: r }, (_, i) => A[i * r + j]!), r);
      for (let i = 0; i < r; i++) X[i * r + j] = col[i]!;
    }
    const M = new Float64Array(r * r);
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) M[i * r + j] = X[j * r + i]!;
    const raw = realEigenvectors(M, r);
    if (raw.every((u) => u.every(Number.isFinite))) out.push(raw);
    if (refine > 0) {
      const us = refineCube(T, raw, r, refine);
      if (us !== raw && us.every((u) => u.every(Number.isFinite))) out.push(us);
    }
  }
  if (out.length === 0) out.push(Array.from({ length: r }, (_, i) => Float64Array.from({ length: r }, (_, j) => (i === j ? 1 : 0))));
  return out;
}

/**
 * Symmetric alternating least squares from the directions `us`: U ← T₍₁₎(U ⊙ U)((UᵀU) ∘ (UᵀU))⁻¹
 * with columns renormalized, each step kept only while the rank-k fit's residual falls.
 */
function refineCube(T: Float64Array, start: Float64Array[], r: number, steps: number): Float64Array[] {
  const k = start.length;
  let us = start;
  let res = powerFitResidual(T, us, r, 3, cubicForm);
  for (let it = 0; it < steps; it++) {
    const H = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let a = 0; a < r; a++) dot += us[i]![a]! * us[j]![a]!;
      H[i * k + j] = dot * dot;
    }
    // Z[:, i] = T(I, uᵢ, uᵢ)
    const Z = us.map((u) => {
      const z = new Float64Array(r);
      for (let a = 0; a < r; a++) {
        let s = 0;
        for (let b = 0; b < r; b++) for (let c = 0; c < r; c++) s += T[(a * r + b) * r + c]! * u[b]! * u[c]!;
        z[a] = s;
      }
      return z;
    });
    const next = Array.from({ length: k }, () => new Float64Array(r));
    for (let a = 0; a < r; a++) {
      const row = solveSmall(H, Float64Array.from({ length: k }, (_, i) => Z[i]![a]!), k);
      for (let i = 0; i < k; i++) next[i]![a] = row[i]!;
    }
    for (const u of next) {
      const nu = Math.hypot(...u) || 1;
      for (let a = 0; a < r; a++) u[a]! /= nu;
    }
    const nres = powerFitResidual(T, next, r, 3, cubicForm);
    if (!(nres < res)) break;
    us = next;
    res = nres;
  }
  return us;
}

/** T(u, u, u, u) for a symmetric T [r, r, r, r] and u [r]. */
function quarticForm(T: Float64Array, u: Float64Array, r: number): number {
  let t = 0;
  for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) for (let c = 0; c < r; c++) {
    const abc = u[a]! * u[b]! * u[c]!;
    const base = ((a * r + b) * r + c) * r;
    for (let e = 0; e < r; e++) t += T[base + e]! * abc * u[e]!;
  }
  return t;
}

/**
 * The orthogonal route for a definite VᵀM̂₂V = diag(λ): in whitened coordinates T′ = R̂₄(D, D, D, D),
 * D = diag(|λ|^{-1/2}), the directions are orthonormal, so the eigenvectors of a random contraction
 * T′(I, I, η, η) (by eigh) start tensor power iterations o ← T′(I, o, o, o)/‖·‖ with deflation
 * (Anandkumar et al. 2014); mapped back, ûᵢ ∝ D⁻¹oᵢ. One candidate per random η.
 */
function decomposeWhitened(R4: Float64Array, lam: number[], trials: number, key: Key): Float64Array[][] {
  const r = lam.length;
  const s = lam.map((l) => 1 / Math.sqrt(Math.abs(l)));
  const T = new Float64Array(r ** 4);
  for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) for (let c = 0; c < r; c++) for (let e = 0; e < r; e++) {
    const at = ((a * r + b) * r + c) * r + e;
    T[at] = R4[at]! * s[a]! * s[b]! * s[c]! * s[e]!;
  }
  const etas = randn(key, [trials, r], { dtype: 'float64' }).dataSync();
  const out: Float64Array[][] = [];
  for (let t = 0; t < trials; t++) {
    const m = new Float64Array(r * r);
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
      let acc = 0;
      for (let l = 0; l < r; l++) for (let q = 0; q < r; q++) acc += T[((i * r + j) * r + l) * r + q]! * etas[t * r + l]! * etas[t * r + q]!;
      m[i * r + j] = acc;
    }
    for (let i = 0; i < r; i++) for (let j = 0; j < i; j++) m[i * r + j] = m[j * r + i] = (m[i * r + j]! + m[j * r + i]!) / 2; // symmetric up to rounding
    const E = eigh(fromTypedArray(m, [r, r], 'float64', 'cpu')).vectors.dataSync();
    const D = Float64Array.from(T);
    const os: Float64Array[] = [];
    for (let i = 0; i < r; i++) {
      let o: Float64Array = Float64Array.from({ length: r }, (_, a) => E[a * r + i]!);
      for (const q of os) {
        let dot = 0;
        for (let a = 0; a < r; a++) dot += q[a]! * o[a]!;
        for (let a = 0; a < r; a++) o[a]! -= dot * q[a]!;
      }
      for (let it = 0; it < 30; it++) {
        const next = new Float64Array(r);
        for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) for (let c = 0; c < r; c++) {
          const bc = o[b]! * o[c]!;
          const base = ((a * r + b) * r + c) * r;
          for (let e = 0; e < r; e++) next[a]! += D[base + e]! * bc * o[e]!;
        }
        const nn = Math.hypot(...next);
        if (!(nn > 0)) break;
        o = next.map((x) => x / nn);
      }
      const lambda = quarticForm(D, o, r);
      for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) for (let c = 0; c < r; c++) for (let e = 0; e < r; e++) D[((a * r + b) * r + c) * r + e]! -= lambda * o[a]! * o[b]! * o[c]! * o[e]!;
      os.push(o);
    }
    const us = os.map((o) => {
      const u = o.map((x, a) => x / s[a]!);
      const nu = Math.hypot(...u);
      return u.map((x) => x / nu);
    });
    if (us.every((u) => u.every(Number.isFinite))) out.push(us);
  }
  return out;
}

/** Options of `tensorInitialization`. */
export interface TensorInitializationOptions {
  /** The PRNG key of the random contractions of the decomposition. */
  key: Key;
  /** Random contractions tried in the decomposition (the candidate fitting the held-out M̂₁, M̂₂ best is kept); 32 by default. */
  trials?: number;
  /** Symmetric ALS steps refining the directions of the Jennrich route (mixed-sign vᵢ; each step kept only if the fit improves); 50 by default, 0 for Jennrich alone. */
  refine?: number;
}

/** What `tensorInitialization` returns. */
export interface TensorInitialization {
  /** Estimated hidden weights W⁰ [k, d] (rows wᵢ), to be refined by gradient descent. */
  W: Tensor;
  /** Estimated output signs v⁰ ∈ {±1} [k]. */
  v: Tensor;
  /** The estimated weight subspace V [d, k] (orthonormal columns), the top-k eigenvectors of M̂₂. */
  subspace: Tensor;
  /** Relative residual of the rank-k fit R̂₄ ≈ Σᵢsᵢûᵢ^{⊗4} (0 for exact moments). */
  residual: number;
}

/**
 * Algorithm 4 of seed 003 (Zhong et al. 2017) for y = Σᵢ vᵢ relu(wᵢᵀx), x ~ N(0, I), vᵢ ∈ {±1}: the
 * samples X [N, d], y [N] are split into thirds S₂, S₃, S₄; V = the k eigenvectors of M̂₂ (on S₂)
 * largest in |λ| (the power method's limit); R̂₄ = M̂₄(V, V, V, V) on S₃ and its k directions ûᵢ —
 * whitened by VᵀM̂₂V = diag(λ) and found by orthogonal tensor power iterations when all λ share a
 * sign (all vᵢ equal), else by Jennrich's simultaneous diagonalization of R̂₄(I, I, I, ξ); then on S₄
 * (RecMagSign) the least-squares fits M̂₂ ≈ Σᵢ rᵢw̄ᵢw̄ᵢᵀ (rᵢ = vᵢ‖wᵢ‖/√(2π)) and M̂₁ ≈ Σᵢ zᵢw̄ᵢ
 * (zᵢ = ±vᵢ‖wᵢ‖/2) pick the candidate directions that fit best and give vᵢ = sign rᵢ, the sign of
 * w̄ᵢ = sign(zᵢrᵢ) and ‖wᵢ‖ as the mean of √(2π)|rᵢ| and 2|zᵢ|.
 */
export function tensorInitialization(X: Tensor, y: Tensor, k: number, options: TensorInitializationOptions): TensorInitialization {
  const where = 'tensorInitialization';
  const { key, trials, refine } = checkOptions(where, options, { key: option.key().required(), trials: option.int(1).default(32), refine: option.int(0).default(50) });
  const [x, yv] = samples(where, X, y);
  const [n, d] = x.shape as [number, number];
  if (!Number.isInteger(k) || k < 1 || k > d) throw new RangeError(`${where}: k (the number of hidden units) must be an integer in [1, d = ${d}], got ${String(k)}`);
  if (n < 3 * (d + 1)) throw new RangeError(`${where}: X must have at least 3(d + 1) = ${3 * (d + 1)} rows (three partitions of the samples), got ${n}`);
  const third = Math.floor(n / 3);
  const xs = x.dataSync();
  const ys = yv.dataSync();
  const part = (p: number): [Tensor, Tensor] => {
    const lo = p * third;
    const hi = p === 2 ? n : lo + third;
    return [tensorFrom(Float64Array.from(xs.subarray(lo * d, hi * d)), [hi - lo, d], x), tensorFrom(Float64Array.from(ys.subarray(lo, hi)), [hi - lo], x)];
  };
  const [kAlpha, kDecomp] = splitKey(key, 2);

  // S₂: the subspace of M̂₂.
  const [x2, y2] = part(0);
  const { values, vectors } = eigh(empiricalHermiteMoments(x2, y2).m2);
  const lam = values.dataSync();
  const vecs = vectors.dataSync();
  const top = [...lam].map((l, i) => ({ l, i })).sort((a, b) => Math.abs(b.l) - Math.abs(a.l)).slice(0, k);
  const Vdata = new Float64Array(d * k);
  top.forEach(({ i }, j) => {
    for (let a = 0; a < d; a++) Vdata[a * k + j] = vecs[a * d + i]!;
  });
  const V = tensorFrom(Vdata, [d, k], x);

  // S₃: R̂₄ = M̂₄(V, V, V, V) and its k directions. VᵀM̂₂V = diag(λ) (V holds its eigenvectors);
  // when every vᵢ has one sign, M₂ = Σᵢvᵢ‖wᵢ‖w̄ᵢw̄ᵢᵀ/√(2π) is definite on the span and whitens the
  // directions into an orthonormal set; otherwise R̂₃ = R̂₄(I, I, I, ξ) goes to Jennrich's method.
  const [x3, y3] = part(1);
  const R4 = Float64Array.from(empiricalProjectedMoment4(x3, y3, V).dataSync());
  const lamTop = top.map((t) => t.l);
  const definite = lamTop.every((l) => l > 0) || lamTop.every((l) => l < 0);
  let candidates: Float64Array[][];
  if (definite) candidates = decomposeWhitened(R4, lamTop, trials, kDecomp!);
  else {
    const xi = randn(kAlpha!, [k], { dtype: 'float64' }).dataSync();
    const nx = Math.hypot(...xi);
    const R3 = new Float64Array(k ** 3);
    for (let t = 0; t < k ** 3; t++) for (let e = 0; e < k; e++) R3[t]! += R4[t * k + e]! * xi[e]! / nx;
    candidates = decomposeCube(R3, k, trials, kDecomp!, refine);
  }

  // S₄: magnitudes and signs (RecMagSign). Each candidate's directions w̄ᵢ = Vûᵢ (unit: V has
  // orthonormal columns) are fitted to M̂₂ ≈ Σrᵢw̄ᵢw̄ᵢᵀ and M̂₁ ≈ Σzᵢw̄ᵢ by least squares; the candidate
  // whose fits leave the smallest relative residuals on these held-out samples is kept (a noisy R̂₃
  // admits near-degenerate fits, two almost opposite directions with large weights, that miss a unit).
  const [x4, y4] = part(2);
  const { m1, m2 } = empiricalHermiteMoments(x4, y4);
  const m1d = m1.dataSync();
  const m2d = m2.dataSync();
  let m1sq = 0;
  for (const c of m1d) m1sq += c * c;
  let m2sq = 0;
  for (const c of m2d) m2sq += c * c;
  let best: { dirs: Float64Array[]; z: Float64Array; r: Float64Array; score: number; residual: number } | undefined;
  for (const us of candidates) {
    const residual = powerFitResidual(R4, us, k, 4, quarticForm);
    const dirs = us.map((u) => {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) for (let j = 0; j < k; j++) w[a]! += Vdata[a * k + j]! * u[j]!;
      const nw = Math.hypot(...w);
      return w.map((c) => c / nw);
    });
    const G1 = new Float64Array(k * k);
    const G2 = new Float64Array(k * k);
    const b1 = new Float64Array(k);
    const b2 = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let a = 0; a < d; a++) dot += dirs[i]![a]! * dirs[j]![a]!;
        G1[i * k + j] = dot;
        G2[i * k + j] = dot * dot;
      }
      for (let a = 0; a < d; a++) {
        b1[i]! += dirs[i]![a]! * m1d[a]!;
        for (let c = 0; c < d; c++) b2[i]! += dirs[i]![a]! * m2d[a * d + c]! * dirs[i]![c]!;
      }
    }
    const z = solveSmall(G1, b1, k);
    const r = solveSmall(G2, b2, k);
    // ‖M − fit‖² = ‖M‖² − 2bᵀc + cᵀGc for the least-squares coefficients c (exactly ‖M‖² − bᵀc at the optimum).
    const rel = (msq: number, b: Float64Array, c: Float64Array, G: Float64Array) => {
      let q = msq;
      for (let i = 0; i < k; i++) {
        q -= 2 * b[i]! * c[i]!;
        for (let j = 0; j < k; j++) q += c[i]! * G[i * k + j]! * c[j]!;
      }
      return Math.sqrt(Math.max(q, 0) / (msq || 1));
    };
    const score = rel(m1sq, b1, z, G1) + rel(m2sq, b2, r, G2);
    if (Number.isFinite(score) && (best === undefined || score < best.score)) best = { dirs, z, r, score, residual };
  }
  const { dirs, z, r, residual } = best ?? { dirs: Array.from({ length: k }, (_, i) => Float64Array.from({ length: d }, (_, a) => Vdata[a * k + i]!)), z: new Float64Array(k).fill(1), r: new Float64Array(k).fill(1), residual: Number.NaN };
  const W = new Float64Array(k * d);
  const v = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    v[i] = r[i]! >= 0 ? 1 : -1;
    const flip = z[i]! * r[i]! >= 0 ? 1 : -1;
    const magnitude = (Math.sqrt(2 * Math.PI) * Math.abs(r[i]!) + 2 * Math.abs(z[i]!)) / 2;
    for (let a = 0; a < d; a++) W[i * d + a] = flip * magnitude * dirs[i]![a]!;
  }
  return { W: tensorFrom(W, [k, d], x), v: tensorFrom(v, [k], x), subspace: V, residual };
}
