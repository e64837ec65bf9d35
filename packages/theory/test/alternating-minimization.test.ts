import { add, eye, matmul, maximum, mul, prng, randn, splitKey, square, sub, sum, svd, type Tensor, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { alternatingMinimization } from '../src/index.js';

const norm = (t: Tensor) => Math.sqrt(sum(square(t)).item());
/** y = Σ_q (Xw_q)₊ for units W [k, d] as rows. */
const forward = (X: Tensor, W: Tensor) => sum(maximum(matmul(X, transpose(W)), 0), { axis: 1 });

describe('alternatingMinimization: Jagatap & Hegde’s Algorithm 1 (seed 003)', () => {
  const d = 5;
  const [kx, kw] = splitKey(prng(5), 2);
  const X = randn(kx!, [200, d], { dtype: 'float64' });
  // A teacher close to I (spectral distance 0.3), so that W⁰ = I is inside the basin the report assumes.
  const P = randn(kw!, [d, d], { dtype: 'float64' });
  const WStar = add(eye(d, d, 'float64'), mul(P, 0.3 / svd(P).s.dataSync()[0]!));
  const y = forward(X, WStar);

  it('from W⁰ = I converges to the planted W* (to 1e-10) within 8 iterations, and fits y exactly', () => {
    const r = alternatingMinimization(X, y, { iterations: 8, planted: WStar });
    expect(r.distances).toHaveLength(9);
    expect(r.distances[0]).toBeCloseTo(norm(sub(eye(d, d, 'float64'), WStar)), 12); // identity order is the best one here
    expect(r.distances[8]!).toBeLessThan(1e-10);
    expect(norm(sub(forward(X, r.W), y))).toBeLessThan(1e-9 * norm(y));
  });

  it('with the teacher’s own activation patterns, one least-squares step lands on W* (n ≥ dk: a unique solution)', () => {
    const near = add(WStar, mul(randn(prng(9), [d, d], { dtype: 'float64' }), 1e-9)); // same signs of Xwᵀ a.s.
    const r = alternatingMinimization(X, y, { iterations: 1, init: near });
    expect(norm(sub(r.W, WStar))).toBeLessThan(1e-10);
    expect(r.distances).toEqual([]);
  });

  it('refuses bad calls, naming the function and the argument', () => {
    expect(() => alternatingMinimization(X, y, { iters: 3 } as never)).toThrow(/alternatingMinimization.*iters/);
    expect(() => alternatingMinimization(X, y, { init: eye(3, 4, 'float64') })).toThrow(/alternatingMinimization: options.init must have 5 columns, got shape \[3, 4\]/);
    expect(() => alternatingMinimization(X, y, { planted: eye(3, 5, 'float64') })).toThrow(/alternatingMinimization: options.planted \[3, 5\] must have as many units \(rows\) as the start W⁰ \[5, 5\]/);
    expect(() => alternatingMinimization(X, tensor([1], { dtype: 'float64' }))).toThrow(/alternatingMinimization: y \[1\] must have one output per row of X \[200, 5\]/);
  });
});
