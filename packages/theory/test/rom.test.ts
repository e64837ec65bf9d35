import { add, fromTypedArray, matmul, mul, prng, randn, splitKey, square, sub, sum, svd, type Tensor, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { apRom, epRom, symmetricRankProjection } from '../src/index.js';

const norm = (t: Tensor) => Math.sqrt(sum(square(t)).item());

describe('symmetricRankProjection: the exact rank-r projection of EP-ROM', () => {
  it('hand case: diag(3, −5, 1) at rank 1 keeps the eigenvalue largest in magnitude, −5', () => {
    const M = tensor([[3, 0, 0], [0, -5, 0], [0, 0, 1]], { dtype: 'float64' });
    const P = symmetricRankProjection(M, 1).toArray() as number[][];
    const want = [[0, 0, 0], [0, -5, 0], [0, 0, 0]];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(P[i]![j]!).toBeCloseTo(want[i]![j]!, 14);
  });

  it('meets Eckart–Young against @ddopt/tensor svd: rank r and ‖M − P‖²_F = Σ_{i>r} σᵢ²(M)', () => {
    const A = randn(prng(3), [7, 7], { dtype: 'float64' });
    const M = mul(add(A, transpose(A)), 0.5);
    const r = 3;
    const P = symmetricRankProjection(M, r);
    const s = svd(M).s.dataSync();
    const tail = [...s].slice(r).reduce((a, v) => a + v * v, 0);
    expect(sum(square(sub(M, P))).item()).toBeCloseTo(tail, 11);
    const sp = svd(P).s.dataSync();
    for (let i = 0; i < 7; i++) expect(sp[i]!).toBeCloseTo(i < r ? s[i]! : 0, 11);
  });
});

describe('EP-ROM and AP-ROM: low-rank estimation of a quadratic net y = xᵀL*x (seed 003, Algorithms 2–3)', () => {
  const p = 12;
  const r = 2;
  const m = 50 * p;
  const [kx, kw] = splitKey(prng(21), 2);
  const X = randn(kx!, [m, p], { dtype: 'float64' });
  const Wt = randn(kw!, [p, r], { dtype: 'float64' });
  const signs = fromTypedArray(Float64Array.from([1, -1]), [r], 'float64', 'cpu');
  const LStar = matmul(mul(Wt, signs), transpose(Wt)); // indefinite, rank 2
  const y = sum(mul(matmul(X, LStar), X), { axis: 1 });
  const lNorm = norm(LStar);

  it('EP-ROM recovers the planted rank-2 L* (relative error < 1e-8 in 50 iterations), linearly', () => {
    const ep = epRom(X, y, { rank: r, iterations: 50, planted: LStar });
    expect(ep.distances).toHaveLength(51);
    expect(ep.distances[0]).toBeCloseTo(lNorm, 12);
    expect(norm(sub(ep.L, LStar)) / lNorm).toBeLessThan(1e-8);
    expect(svd(ep.L).s.dataSync()[r]!).toBeLessThan(1e-12 * lNorm); // rank ≤ r
  });

  it('with the report’s printed sign of the trace correction (−cI), EP-ROM does not converge', () => {
    const printed = epRom(X, y, { rank: r, iterations: 20, planted: LStar, traceCorrection: 'subtract', divergenceLimit: 1e6 });
    expect(printed.distances[printed.distances.length - 1]! / lNorm).toBeGreaterThan(1);
  });

  it('AP-ROM (matrix-free, randomized) recovers L* too, and returns L = Q diag(λ) Qᵀ with orthonormal Q', () => {
    const ap = apRom(X, y, { rank: r, iterations: 50, key: prng(1), planted: LStar });
    expect(norm(sub(ap.L, LStar)) / lNorm).toBeLessThan(1e-8);
    expect(ap.distances[50]! / lNorm).toBeLessThan(1e-8);
    expect(norm(sub(matmul(transpose(ap.Q), ap.Q), fromTypedArray(Float64Array.from([1, 0, 0, 1]), [2, 2], 'float64', 'cpu')))).toBeLessThan(1e-12);
    expect(norm(sub(matmul(mul(ap.Q, ap.lambda), transpose(ap.Q)), ap.L))).toBe(0);
  });

  it('refuses bad calls, naming the function and the argument', () => {
    expect(() => epRom(X, y, {} as never)).toThrow(/epRom.*rank/);
    expect(() => epRom(X, y, 2 as never)).toThrow(/epRom\(X, y, \{ rank: 2 \}\)/);
    expect(() => epRom(X, y, { rank: p + 1 })).toThrow(/epRom: options.rank must be at most p = 12 \(the columns of X\), got 13/);
    expect(() => epRom(X, y, { rank: 2, planted: Wt })).toThrow(/epRom: options.planted must be a float64 matrix \[12, 12\], got float64 \[12, 2\]/);
    expect(() => epRom(X, y, { rank: 2, traceCorrection: 'minus' as never })).toThrow(/epRom.*traceCorrection/);
    expect(() => apRom(X, y, { rank: 2 } as never)).toThrow(/apRom.*key/);
    expect(() => symmetricRankProjection(Wt, 1)).toThrow(/symmetricRankProjection: M must be square \[p, p\], got \[12, 2\]/);
  });
});
