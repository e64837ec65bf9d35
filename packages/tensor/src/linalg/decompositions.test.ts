import { describe, expect, it } from 'vitest';
import { registerBackend, initBackend } from '../backend.js';
import { fromTypedArray, tensor } from '../creation.js';
import { prng } from '../random/key.js';
import { randn } from '../random/samplers.js';
import { cholesky } from './cholesky.js';
import { det, slogdet } from './det.js';
import { eigh } from './eigh.js';
import { pinv } from './pinv.js';
import { qr } from './qr.js';
import { inv, solve } from './solve.js';
import { svd } from './svd.js';
import { type Mat, asMat, diag, expectClose, identity, matmul, transpose } from './test-helpers.js';

const f64 = (v: number[] | Mat) => tensor(v, { dtype: 'float64' });
const gaussian = (seed: number, m: number, n: number): Mat => asMat(randn(prng(seed), [m, n], { dtype: 'float64' }));
/** A well-conditioned square matrix: Gaussian plus a multiple of the identity. */
const wellConditioned = (seed: number, n: number): Mat => gaussian(seed, n, n).map((row, i) => row.map((v, j) => v + (i === j ? n : 0)));
/** A symmetric positive-definite matrix M·Mᵀ + I. */
const spd = (seed: number, n: number): Mat => {
  const m = gaussian(seed, n, n);
  return matmul(m, transpose(m)).map((row, i) => row.map((v, j) => v + (i === j ? 1 : 0)));
};

describe('solve', () => {
  it('a · solve(a, b) = b for a vector and a matrix right-hand side', () => {
    const a = wellConditioned(1, 6);
    const b = gaussian(2, 6, 3);
    const x = solve(f64(a), f64(b));
    expect(x.shape).toEqual([6, 3]);
    expect(x.dtype).toBe('float64');
    expectClose(matmul(a, asMat(x)), b, 1e-12);
    const bv = b.map((r) => r[0]!);
    const xv = solve(f64(a), f64(bv));
    expect(xv.shape).toEqual([6]);
    expectClose(matmul(a, (xv.toArray() as number[]).map((v) => [v])).flat(), bv, 1e-12);
  });

  it('solves a batch, with a shared vector or per-matrix right-hand sides', () => {
    const a = [wellConditioned(3, 3), wellConditioned(4, 3)];
    const b = [gaussian(5, 3, 2), gaussian(6, 3, 2)];
    const x = solve(f64(a as never), f64(b as never));
    expect(x.shape).toEqual([2, 3, 2]);
    const xs = x.toArray() as Mat[];
    for (let i = 0; i < 2; i++) expectClose(matmul(a[i]!, xs[i]!), b[i]!, 1e-12);
    const shared = solve(f64(a as never), f64([1, 2, 3]));
    expect(shared.shape).toEqual([2, 3]);
    const rows = shared.toArray() as number[][];
    for (let i = 0; i < 2; i++) expectClose(matmul(a[i]!, rows[i]!.map((v) => [v])).flat(), [1, 2, 3], 1e-12);
  });

  it('keeps float32 in float32 (computed in float64)', () => {
    const a = wellConditioned(7, 4);
    const x = solve(tensor(a), tensor([1, 0, 0, 0]));
    expect(x.dtype).toBe('float32');
    expectClose(matmul(a, (x.toArray() as number[]).map((v) => [v])).flat(), [1, 0, 0, 0], 1e-5);
  });

  it('rejects singular, non-square and mismatched inputs', () => {
    expect(() => solve(f64([[1, 2], [2, 4]]), f64([1, 1]))).toThrow('solve: a is singular (LU found a zero pivot)');
    expect(() => solve(f64([[1, 2, 3], [4, 5, 6]]), f64([1, 1]))).toThrow('solve: a must be square, got shape [2, 3]');
    expect(() => solve(f64([[1, 0], [0, 1]]), f64([1, 1, 1]))).toThrow('solve: b of shape [3] does not match a of shape [2, 2] (need 2 entries)');
    expect(() => solve(f64([[1, 0], [0, 1]]), f64([[1], [1], [1]]))).toThrow('expected [2, k] or [2]');
    expect(() => solve(f64([[1, 0], [0, 1]]), tensor([1, 1]))).toThrow('solve: a is float64 but b is float32; cast one explicitly');
    expect(() => solve(f64([1, 2]), f64([1, 1]))).toThrow('solve: a must be a matrix or a batch of matrices (rank ≥ 2), got shape [2]');
    expect(() => solve(tensor([[1, 0], [0, 1]], { dtype: 'int32' }), f64([1, 1]))).toThrow('solve: a must be float32 or float64, got int32');
    expect(() => solve(f64([[1, 0], [0, 1]]), null as never)).toThrow('solve: b must be a Tensor, got null');
    const singularBatch = f64([identity(2), [[1, 1], [1, 1]]] as never);
    expect(() => inv(singularBatch)).toThrow('inv: a (batch entry [1]) is singular');
  });

  it('refuses tensors on other backends, saying how to move them', async () => {
    // A minimal storage-only backend, enough to hold a tensor somewhere other than cpu.
    registerBackend('linalg-test-store', () => ({
      specificationVersion: 'v1',
      name: 'linalg-test-store',
      dtypes: ['float32'],
      upload: (values) => values.slice(),
      readSync: (h) => h as Float32Array,
      read: async (h) => h as Float32Array,
      dispose: () => {},
      run: () => {
        throw new Error('not a compute backend');
      },
    }));
    await initBackend('linalg-test-store');
    const t = fromTypedArray(new Float32Array([1, 0, 0, 1]), [2, 2], 'float32', 'linalg-test-store');
    expect(() => inv(t)).toThrow(`inv: a lives on the "linalg-test-store" backend; linalg runs on cpu only, move it first with toBackend(a, 'cpu')`);
  });
});

describe('inv', () => {
  it('a · inv(a) = inv(a) · a = I', () => {
    const a = wellConditioned(8, 5);
    const ai = asMat(inv(f64(a)));
    expectClose(matmul(a, ai), identity(5), 1e-12);
    expectClose(matmul(ai, a), identity(5), 1e-12);
  });
});

describe('cholesky', () => {
  it('gives a lower-triangular L with a positive diagonal and L·Lᵀ = a', () => {
    const a = spd(9, 5);
    const l = asMat(cholesky(f64(a)));
    for (let i = 0; i < 5; i++) {
      expect(l[i]![i]).toBeGreaterThan(0);
      for (let j = i + 1; j < 5; j++) expect(l[i]![j]).toBe(0);
    }
    expectClose(matmul(l, transpose(l)), a, 1e-12);
  });

  it('matches the closed form of a 2×2 matrix and accepts rounding-level asymmetry', () => {
    // [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]]
    expectClose(asMat(cholesky(f64([[4, 2], [2, 3 + 1e-15]]))), [[2, 0], [1, Math.SQRT2]], 1e-14);
    expectClose(asMat(cholesky(f64([[4, 2 + 1e-14], [2, 3]]))), [[2, 0], [1, Math.SQRT2]], 1e-14);
  });

  it('rejects matrices that are not symmetric or not positive definite', () => {
    expect(() => cholesky(f64([[1, 2], [2, 1]]))).toThrow('cholesky: a is not positive definite');
    expect(() => cholesky(f64([[2, 1], [0, 2]]))).toThrow('cholesky: a must be symmetric, but entry (0,1) = 1 and (1,0) = 0 differ');
    expect(() => cholesky(f64([[1, 2, 3]]))).toThrow('cholesky: a must be square, got shape [1, 3]');
  });
});

describe('eigh', () => {
  it('finds the closed-form eigenvalues 2 − 2cos(kπ/(n+1)) of the tridiagonal Toeplitz matrix, ascending', () => {
    const n = 8;
    const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 : Math.abs(i - j) === 1 ? -1 : 0)));
    const { values, vectors } = eigh(f64(a));
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    expectClose(values.toArray() as number[], expected, 1e-13);
    // eigenvector k is sin(j·kπ/(n+1)) up to sign and scale
    const v = asMat(vectors);
    const col0 = v.map((r) => r[0]!);
    const ref = Array.from({ length: n }, (_, j) => Math.sin(((j + 1) * Math.PI) / (n + 1)));
    const scale = Math.hypot(...ref) * Math.sign(col0[0]!);
    expectClose(col0, ref.map((x) => x / scale), 1e-12);
  });

  it('reconstructs a = V·diag(w)·Vᵀ with orthonormal V', () => {
    const m = gaussian(10, 6, 6);
    const a = m.map((row, i) => row.map((v, j) => v + m[j]![i]!));
    const { values, vectors } = eigh(f64(a));
    const w = values.toArray() as number[];
    for (let i = 1; i < w.length; i++) expect(w[i]!).toBeGreaterThanOrEqual(w[i - 1]!);
    const v = asMat(vectors);
    expectClose(matmul(transpose(v), v), identity(6), 1e-12);
    expectClose(matmul(matmul(v, diag(w)), transpose(v)), a, 1e-12);
  });

  it('refuses NaN and Infinity, which the iterative decompositions cannot handle', () => {
    expect(() => eigh(f64([[Number.NaN, 1], [1, 1]]))).toThrow('eigh: a must be finite, but flat entry 0 is NaN');
    expect(() => svd(f64([[1, Number.POSITIVE_INFINITY]]))).toThrow('svd: a must be finite, but flat entry 1 is Infinity');
    expect(() => cholesky(f64([[Number.NaN]]))).toThrow('cholesky: a must be finite');
  });

  it('handles batches and float32, and rejects non-symmetric input', () => {
    const { values } = eigh(tensor([diag([3, 1, 2]), [[2, 1, 0], [1, 2, 0], [0, 0, 5]]] as never));
    expect(values.dtype).toBe('float32');
    expect(values.shape).toEqual([2, 3]);
    expectClose(values.toArray() as Mat, [[1, 2, 3], [1, 3, 5]], 1e-6);
    expect(() => eigh(f64([[1, 2], [3, 4]]))).toThrow('eigh: a must be symmetric, but entry (0,1) = 2 and (1,0) = 3 differ');
    expect(() => eigh(f64([diag([1, 1]), [[1, 2], [0, 1]]] as never))).toThrow('eigh: a (batch entry [1]) must be symmetric');
  });
});

describe('svd', () => {
  it.each([
    [5, 3],
    [3, 5],
    [4, 4],
  ])('a (%i×%i) = U·diag(s)·Vᵀ with orthonormal columns and descending s', (m, n) => {
    const a = gaussian(11 + m, m, n);
    const { u, s, v } = svd(f64(a));
    const k = Math.min(m, n);
    expect(u.shape).toEqual([m, k]);
    expect(s.shape).toEqual([k]);
    expect(v.shape).toEqual([n, k]);
    const sv = s.toArray() as number[];
    for (let i = 0; i < k; i++) {
      expect(sv[i]!).toBeGreaterThanOrEqual(0);
      if (i > 0) expect(sv[i]!).toBeLessThanOrEqual(sv[i - 1]!);
    }
    const U = asMat(u);
    const V = asMat(v);
    expectClose(matmul(transpose(U), U), identity(k), 1e-12);
    expectClose(matmul(transpose(V), V), identity(k), 1e-12);
    expectClose(matmul(matmul(U, diag(sv)), transpose(V)), a, 1e-12);
    // s² are the largest eigenvalues of a·aᵀ
    const ev = (eigh(f64(matmul(a, transpose(a)))).values.toArray() as number[]).reverse().slice(0, k);
    expectClose(sv.map((x) => x * x), ev, 1e-11);
  });

  it('gives the known singular values of a rank-one matrix and handles empty ones', () => {
    // x·yᵀ has one singular value |x|·|y|
    const s = svd(f64([[3], [4]].map((r) => [r[0]! * 1, r[0]! * 2]))).s.toArray() as number[];
    expectClose(s, [5 * Math.sqrt(5), 0], 1e-13);
    const e = svd(tensor(new Float64Array(0), { shape: [0, 3] }));
    expect(e.u.shape).toEqual([0, 0]);
    expect(e.s.shape).toEqual([0]);
    expect(e.v.shape).toEqual([3, 0]);
  });
});

describe('pinv', () => {
  function checkPenrose(a: Mat, p: Mat, tol: number) {
    const ap = matmul(a, p);
    const pa = matmul(p, a);
    expectClose(matmul(ap, a), a, tol); // A A⁺ A = A
    expectClose(matmul(pa, p), p, tol); // A⁺ A A⁺ = A⁺
    expectClose(transpose(ap), ap, tol); // (A A⁺)ᵀ = A A⁺
    expectClose(transpose(pa), pa, tol); // (A⁺ A)ᵀ = A⁺ A
  }

  it('satisfies the four Moore–Penrose conditions for rank-deficient and wide matrices', () => {
    const b = gaussian(20, 5, 2);
    const c = gaussian(21, 2, 4);
    const lowRank = matmul(b, c); // 5×4, rank 2
    const p = pinv(f64(lowRank));
    expect(p.shape).toEqual([4, 5]);
    checkPenrose(lowRank, asMat(p), 1e-12);
    const wide = gaussian(22, 2, 6);
    checkPenrose(wide, asMat(pinv(f64(wide))), 1e-12);
  });

  it('equals inv for an invertible matrix and drops singular values below rcond × the largest', () => {
    const a = wellConditioned(23, 4);
    expectClose(asMat(pinv(f64(a))), asMat(inv(f64(a))), 1e-12);
    expectClose(asMat(pinv(f64(diag([2, 1e-10])))), diag([0.5, 1e10]), 1e-3);
    expectClose(asMat(pinv(f64(diag([2, 1e-10])), { rcond: 1e-5 })), diag([0.5, 0]), 0);
    expect(() => pinv(f64(diag([1, 1])), { rcond: -1 })).toThrow(new RangeError('pinv: rcond must be a finite number ≥ 0, got -1'));
  });
});

describe('qr', () => {
  it.each([
    [6, 3],
    [3, 6],
    [4, 4],
  ])('a (%i×%i) = Q·R with orthonormal Q and upper-triangular R', (m, n) => {
    const a = gaussian(30 + m, m, n);
    const { q, r } = qr(f64(a));
    const k = Math.min(m, n);
    expect(q.shape).toEqual([m, k]);
    expect(r.shape).toEqual([k, n]);
    const Q = asMat(q);
    const R = asMat(r);
    expectClose(matmul(transpose(Q), Q), identity(k), 1e-12);
    for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) expect(Math.abs(R[i]![j]!)).toBeLessThan(1e-12);
    expectClose(matmul(Q, R), a, 1e-12);
  });
});

describe('det / slogdet', () => {
  it('is the product of the diagonal for triangular matrices', () => {
    expect(det(f64([[2, 7, 1], [0, -3, 5], [0, 0, 4]])).item()).toBeCloseTo(-24, 12);
    expect(det(f64([[1, 0], [9, 5]])).item()).toBeCloseTo(5, 12);
  });

  it('is the sign of the permutation for permutation matrices', () => {
    const perm = (p: number[]) => p.map((j) => p.map((_, c) => (c === j ? 1 : 0)));
    expect(det(f64(perm([1, 0, 2]))).item()).toBe(-1);
    expect(det(f64(perm([1, 2, 0]))).item()).toBe(1);
    expect(det(f64(perm([3, 2, 1, 0]))).item()).toBe(1);
    expect(slogdet(f64(perm([0, 2, 1]))).sign.item()).toBe(-1);
  });

  it('is multiplicative and batched, with slogdet consistent', () => {
    const a = gaussian(40, 4, 4);
    const b = gaussian(41, 4, 4);
    const d = det(f64([a, b, matmul(a, b)] as never));
    expect(d.shape).toEqual([3]);
    const [da, db, dab] = d.toArray() as number[];
    expect(dab! / (da! * db!)).toBeCloseTo(1, 12);
    const { sign, logAbsDet } = slogdet(f64([a, b] as never));
    const signs = sign.toArray() as number[];
    const logs = logAbsDet.toArray() as number[];
    expect(signs[0]! * Math.exp(logs[0]!)).toBeCloseTo(da!, 12);
    expect(signs[1]! * Math.exp(logs[1]!)).toBeCloseTo(db!, 12);
  });

  it('slogdet: negative sign, singular matrices, and no underflow where det gives 0', () => {
    const neg = slogdet(f64([[0, 2], [3, 0]]));
    expect(neg.sign.item()).toBe(-1);
    expect(neg.logAbsDet.item()).toBeCloseTo(Math.log(6), 14);
    const sing = slogdet(f64([[1, 2], [2, 4]]));
    expect(sing.sign.item()).toBe(0);
    expect(sing.logAbsDet.item()).toBe(Number.NEGATIVE_INFINITY);
    const small = f64(diag(new Array<number>(60).fill(1e-6)));
    expect(det(small).item()).toBe(0); // 1e-360 underflows
    expect(slogdet(small).logAbsDet.item()).toBeCloseTo(60 * Math.log(1e-6), 10);
    expect(det(tensor(new Float64Array(0), { shape: [0, 0] })).item()).toBe(1); // empty product
  });
});
