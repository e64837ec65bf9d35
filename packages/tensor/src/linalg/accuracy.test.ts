// Accuracy of the TypeScript linalg kernels at sizes that cross their blocks (panels of 32 and
// 64, back-transformation blocks of 128): reconstruction and orthogonality in units of n·ε·‖a‖
// (Frobenius norms), and agreement with ml-matrix (the previous implementation, kept as oracle).
import { CholeskyDecomposition, EigenvalueDecomposition, LuDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { fromTypedArray } from '../creation.js';
import { prng } from '../random/key.js';
import { randn } from '../random/samplers.js';
import { cholesky } from './cholesky.js';
import { det, slogdet } from './det.js';
import { eigh } from './eigh.js';
import { pinv } from './pinv.js';
import { qr } from './qr.js';
import { inv, solve } from './solve.js';
import { svd } from './svd.js';

const EPS = 2 ** -52;
const gaussian = (seed: number, m: number, n: number) => Float64Array.from(randn(prng(seed), [m, n], { dtype: 'float64' }).dataSync());
const t64 = (x: Float64Array, shape: number[]) => fromTypedArray(x, shape, 'float64', 'cpu');
const data = (t: { dataSync(): ArrayLike<number> }) => Float64Array.from(t.dataSync());

/** Row-major c = a (m×k) · b (k×n), plain loops (the reference product). */
function mul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) {
    const aip = a[i * k + p]!;
    for (let j = 0; j < n; j++) c[i * n + j] += aip * b[p * n + j]!;
  }
  return c;
}
const tr = (a: Float64Array, m: number, n: number) => {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j]!;
  return t;
};
const fro = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
};
const diffFro = (a: ArrayLike<number>, b: ArrayLike<number>) => fro(Float64Array.from(a, (v, i) => v - b[i]!));
const eyeMinus = (g: Float64Array, k: number) => Float64Array.from(g, (v, i) => v - (i % (k + 1) === 0 ? 1 : 0));
/** ‖qᵀq − I‖_F for m×k q, in units of k·ε. */
const orthogonality = (q: Float64Array, m: number, k: number) => fro(eyeMinus(mul(tr(q, m, k), q, k, m, k), k)) / (k * EPS);
const ml = (a: Float64Array, m: number, n: number) => new Matrix(Array.from({ length: m }, (_, i) => Array.from(a.subarray(i * n, i * n + n))));

describe('linalg accuracy at block-crossing sizes (float64)', () => {
  it('qr: ‖a − q·r‖ ≤ 2·n·ε·‖a‖ and ‖qᵀq − I‖ ≤ 2·n·ε, tall and wide', () => {
    for (const [m, n] of [
      [200, 130],
      [70, 150],
    ] as const) {
      const a = gaussian(m + n, m, n);
      const { q, r } = qr(t64(a, [m, n]));
      const k = Math.min(m, n);
      expect(q.shape).toEqual([m, k]);
      expect(r.shape).toEqual([k, n]);
      const Q = data(q);
      const R = data(r);
      for (let i = 1; i < k; i++) for (let j = 0; j < i; j++) expect(R[i * n + j]).toBe(0);
      expect(diffFro(mul(Q, R, m, k, n), a) / (Math.max(m, n) * EPS * fro(a))).toBeLessThan(2);
      expect(orthogonality(Q, m, k)).toBeLessThan(2);
    }
  });

  it('eigh: ‖a − v·Λ·vᵀ‖ ≤ 2·n·ε·‖a‖, ‖vᵀv − I‖ ≤ 2·n·ε, eigenvalues within 2·n·ε·‖a‖ of ml-matrix', () => {
    const n = 150;
    const g = gaussian(11, n, n);
    const a = Float64Array.from(g, (v, i) => v + g[(i % n) * n + Math.floor(i / n)]!);
    const { values, vectors } = eigh(t64(a, [n, n]));
    const lam = data(values);
    const V = data(vectors);
    const vl = Float64Array.from(V, (v, i) => v * lam[i % n]!);
    expect(diffFro(mul(vl, tr(V, n, n), n, n, n), a) / (n * EPS * fro(a))).toBeLessThan(2);
    expect(orthogonality(V, n, n)).toBeLessThan(2);
    const ref = new EigenvalueDecomposition(ml(a, n, n), { assumeSymmetric: true }).realEigenvalues;
    expect(Math.max(...ref.map((v, i) => Math.abs(v - lam[i]!))) / (n * EPS * fro(a))).toBeLessThan(2);
  });

  it('eigh by divide and conquer on deflation-heavy inputs: Wilkinson W⁺ (close pairs), I + rank 2 (a 118-fold eigenvalue), the (−1, 2, −1) Toeplitz; ‖a − v·Λ·vᵀ‖ ≤ 2·n·ε·‖a‖, ‖vᵀv − I‖ ≤ 2·n·ε', () => {
    const n = 120;
    const wilkinson = new Float64Array(n * n);
    const toeplitz = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      wilkinson[i * n + i] = Math.abs(i - (n - 1) / 2);
      toeplitz[i * n + i] = 2;
      if (i + 1 < n) {
        wilkinson[i * n + i + 1] = wilkinson[(i + 1) * n + i] = 1;
        toeplitz[i * n + i + 1] = toeplitz[(i + 1) * n + i] = -1;
      }
    }
    const u = gaussian(51, n, 2);
    const lowRank = mul(u, tr(u, n, 2), n, 2, n);
    for (let i = 0; i < n; i++) lowRank[i * n + i] += 1;
    for (const a of [wilkinson, lowRank, toeplitz]) {
      const { values, vectors } = eigh(t64(a, [n, n]));
      const lam = data(values);
      const V = data(vectors);
      for (let i = 1; i < n; i++) expect(lam[i]!).toBeGreaterThanOrEqual(lam[i - 1]!);
      const vl = Float64Array.from(V, (v, i) => v * lam[i % n]!);
      expect(diffFro(mul(vl, tr(V, n, n), n, n, n), a) / (n * EPS * fro(a))).toBeLessThan(2);
      expect(orthogonality(V, n, n)).toBeLessThan(2);
    }
    // The (−1, 2, −1) Toeplitz matrix's eigenvalues are 2 − 2·cos(kπ/(n+1)).
    const lam = data(eigh(t64(toeplitz, [n, n])).values);
    const exact = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    expect(Math.max(...exact.map((v, i) => Math.abs(v - lam[i]!)))).toBeLessThan(n * EPS * 4);
  });

  it('svd: ‖a − u·S·vᵀ‖ ≤ 2·n·ε·‖a‖, u and v orthonormal within 4·n·ε, values within 2·n·ε·‖a‖ of ml-matrix', () => {
    for (const [m, n] of [
      [200, 130],
      [60, 140],
    ] as const) {
      const a = gaussian(3 * m + n, m, n);
      const k = Math.min(m, n);
      const { u, s, v } = svd(t64(a, [m, n]));
      const U = data(u);
      const S = data(s);
      const V = data(v);
      for (let i = 1; i < k; i++) expect(S[i]!).toBeLessThanOrEqual(S[i - 1]!);
      const us = Float64Array.from(U, (x, i) => x * S[i % k]!);
      expect(diffFro(mul(us, tr(V, n, k), m, k, n), a) / (Math.max(m, n) * EPS * fro(a))).toBeLessThan(2);
      expect(orthogonality(U, m, k)).toBeLessThan(4);
      expect(orthogonality(V, n, k)).toBeLessThan(4);
      const ref = new SingularValueDecomposition(ml(a, m, n), { autoTranspose: true }).diagonal;
      expect(Math.max(...Array.from(S, (x, i) => Math.abs(x - ref[i]!))) / (Math.max(m, n) * EPS * fro(a))).toBeLessThan(2);
    }
  });

  it('pinv of a rank-deficient tall matrix: the four Penrose conditions, and ml-matrix within 1e-12 relative', () => {
    const [m, n, rank] = [160, 100, 40];
    const a = mul(gaussian(21, m, rank), gaussian(22, rank, n), m, rank, n);
    const p = data(pinv(t64(a, [m, n])));
    const ap = mul(a, p, m, n, m);
    const pa = mul(p, a, n, m, n);
    const scale = Math.max(m, n) * EPS;
    expect(diffFro(mul(ap, a, m, m, n), a) / (scale * fro(a))).toBeLessThan(10);
    expect(diffFro(mul(pa, p, n, n, m), p) / (scale * fro(p))).toBeLessThan(10);
    expect(diffFro(ap, tr(ap, m, m)) / (scale * fro(ap))).toBeLessThan(10);
    expect(diffFro(pa, tr(pa, n, n)) / (scale * fro(pa))).toBeLessThan(10);
    const ref = new SingularValueDecomposition(ml(a, m, n), { autoTranspose: true });
    // ml-matrix's inverse() drops singular values below its own threshold (max(m, n)·ε·s_max).
    expect(diffFro(p, ref.inverse().to1DArray()) / fro(p)).toBeLessThan(1e-12);
  });

  it('cholesky, solve, inv, det: residuals in units of n·ε and agreement with ml-matrix', () => {
    const n = 150;
    const g = gaussian(31, n, n);
    const spd = mul(g, tr(g, n, n), n, n, n);
    for (let i = 0; i < n; i++) spd[i * n + i] += n;
    const L = data(cholesky(t64(spd, [n, n])));
    expect(diffFro(mul(L, tr(L, n, n), n, n, n), spd) / (n * EPS * fro(spd))).toBeLessThan(2);
    const lref = new CholeskyDecomposition(ml(spd, n, n)).lowerTriangularMatrix.to1DArray();
    expect(diffFro(L, lref) / fro(L)).toBeLessThan(1e-13);
    const b = gaussian(32, n, 4);
    const x = data(solve(t64(g, [n, n]), t64(b, [n, 4])));
    // Backward error ‖a·x − b‖ / (‖a‖·‖x‖) of LU with partial pivoting: a small multiple of n·ε.
    expect(diffFro(mul(g, x, n, n, 4), b) / (n * EPS * fro(g) * fro(x))).toBeLessThan(1);
    const xref = new LuDecomposition(ml(g, n, n)).solve(ml(b, n, 4)).to1DArray();
    expect(diffFro(x, xref) / fro(x)).toBeLessThan(1e-10);
    const ai = data(inv(t64(g, [n, n])));
    expect(diffFro(mul(g, ai, n, n, n), Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0))) / (n * EPS * fro(g) * fro(ai))).toBeLessThan(1);
    const lu = new LuDecomposition(ml(g, n, n));
    const s = slogdet(t64(g, [n, n]));
    const refLog = Array.from({ length: n }, (_, i) => Math.log(Math.abs(lu.upperTriangularMatrix.get(i, i)))).reduce((p, v) => p + v, 0);
    expect(Math.abs(s.logAbsDet.item() - refLog)).toBeLessThan(1e-10 * Math.abs(refLog));
    expect(s.sign.item()).toBe(Math.sign(lu.determinant));
    expect(det(t64(g.subarray(0, 36).slice(), [6, 6])).item()).toBeCloseTo(new LuDecomposition(ml(g.subarray(0, 36).slice(), 6, 6)).determinant, 12);
  });

  it('scale: eigh, svd and pinv of 1e300·a and 1e-300·a are those of a scaled (no overflow in the squares)', () => {
    const [m, n] = [50, 40];
    const g = gaussian(61, m, n);
    const sq = gaussian(62, n, n);
    const sym = Float64Array.from(sq, (v, i) => v + sq[(i % n) * n + Math.floor(i / n)]!);
    const lam = data(eigh(t64(sym, [n, n])).values);
    const s = data(svd(t64(g, [m, n])).s);
    const p = data(pinv(t64(g, [m, n])));
    const rel = (a: Float64Array, b: Float64Array, f: number) => Math.max(...Array.from(a, (v, i) => Math.abs(v / f - b[i]!))) / Math.max(...Array.from(b, Math.abs));
    for (const f of [1e300, 1e-300]) {
      expect(rel(data(eigh(t64(sym.map((v) => v * f), [n, n])).values), lam, f)).toBeLessThan(1e-14);
      expect(rel(data(svd(t64(g.map((v) => v * f), [m, n])).s), s, f)).toBeLessThan(1e-14);
      expect(rel(data(pinv(t64(g.map((v) => v * f), [m, n]))), p, 1 / f)).toBeLessThan(1e-14);
    }
  });

  it('batched and float32: each matrix of a [2, 3, m, n] batch is decomposed on its own, float32 in float32', () => {
    const a = gaussian(41, 6 * 9, 7);
    const t = t64(a, [2, 3, 9, 7]);
    const s = data(svd(t).s);
    const p = data(pinv(t));
    for (let b = 0; b < 6; b++) {
      const one = t64(a.slice(b * 63, (b + 1) * 63), [9, 7]);
      expect(Array.from(s.subarray(b * 7, (b + 1) * 7))).toEqual(Array.from(data(svd(one).s)));
      expect(Array.from(p.subarray(b * 63, (b + 1) * 63))).toEqual(Array.from(data(pinv(one))));
    }
    const f32 = fromTypedArray(Float32Array.from(a), [2, 3, 9, 7], 'float32', 'cpu');
    const p32 = pinv(f32);
    expect(p32.dtype).toBe('float32');
    expect(p32.shape).toEqual([2, 3, 7, 9]);
    const worst = Math.max(...Array.from(p32.dataSync(), (v, i) => Math.abs(v - p[i]!)));
    expect(worst).toBeLessThan(1e-4);
  });
});
