import { type Tensor, add, div, eigh, matmul, maximum, mul, randn, prng, rademacher, sqrt, sum, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { empiricalNtk, gramInfinity, gramMatrix } from '../src/index.js';
import { gaussian } from './monte-carlo.js';

/** n unit-norm rows in R^d. */
function unitRows(seed: number, n: number, d: number): Tensor {
  const x = gaussian(seed, n, d);
  return div(x, sqrt(sum(mul(x, x), { axis: 1, keepdims: true })));
}
const X = unitRows(41, 6, 3);

describe('gramInfinity: Du et al.’s H∞ᵢⱼ = E_w[xᵢᵀxⱼ1{wᵀxᵢ ≥ 0, wᵀxⱼ ≥ 0}] (survey eq. 15’s λ₀)', () => {
  it('matches the finite-width Gram matrix of 2·10⁵ Gaussian w (seeded), within 4 standard errors per entry', () => {
    const m = 200_000;
    const Hm = gramMatrix(X, gaussian(42, m, 3)).dataSync();
    const H = gramInfinity(X).dataSync();
    const C = matmul(X, transpose(X)).dataSync();
    for (let i = 0; i < H.length; i++) {
      // Each entry averages cᵢⱼ·Bernoulli(p): standard error |c|·√(p(1 − p)/m).
      const p = C[i] === 0 ? 0 : Hm[i]! / C[i]!;
      const se = Math.abs(C[i]!) * Math.sqrt((p * (1 - p)) / m);
      expect(Math.abs(H[i]! - Hm[i]!)).toBeLessThanOrEqual(4 * se + 1e-12);
    }
  });

  it('has ‖xᵢ‖²/2 on the diagonal and is positive definite for distinct unit inputs', () => {
    const H = gramInfinity(X);
    const h = H.dataSync();
    for (let i = 0; i < 6; i++) expect(h[i * 7]).toBeCloseTo(0.5, 15);
    // Du et al., Theorem 3.1: no two inputs parallel ⇒ λ₀ > 0; opposite inputs get H∞ᵢⱼ = 0.
    expect(eigh(H).values.dataSync()[0]).toBeGreaterThan(0);
    expect(Math.abs(gramInfinity(tensor([[1, 0], [-1, 0]], { dtype: 'float64' })).dataSync()[1]!)).toBe(0);
  });
});

describe('gramMatrix: H = (1/m)(XXᵀ) ⊙ (PPᵀ), Pᵢᵣ = 1{wᵣᵀxᵢ ≥ 0} (survey eq. 17)', () => {
  it('equals the sum written out over hidden units', () => {
    const W = gaussian(43, 7, 3);
    const H = gramMatrix(X, W).dataSync();
    const x = X.toArray() as number[][];
    const w = W.toArray() as number[][];
    const dot = (a: number[], b: number[]) => a.reduce((s, ai, i) => s + ai * b[i]!, 0);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        let count = 0;
        for (const wr of w) if (dot(wr, x[i]!) >= 0 && dot(wr, x[j]!) >= 0) count++;
        expect(H[i * 6 + j]).toBeCloseTo((dot(x[i]!, x[j]!) * count) / 7, 15);
      }
    }
  });
  it('refuses mismatched widths', () => {
    expect(() => gramMatrix(X, gaussian(1, 4, 2))).toThrow(/gramMatrix: X \[6, 3\] and W \[4, 2\] must agree on the last dimension/);
  });
});

describe('empiricalNtk: G = JJᵀ of survey eq. (22)', () => {
  const m = 50;
  const W = gaussian(44, m, 3);
  const a = rademacher(prng(45), [m], { dtype: 'float64' });
  /** Du et al.'s u(x) = (1/√m)Σᵣ aᵣ(wᵣᵀx)₊. */
  const twoLayer = (w: Tensor, x: Tensor) => div(matmul(maximum(matmul(x, transpose(w)), 0), a), Math.sqrt(m));

  it('of the two-layer net in its first layer is gramMatrix(X, W): ∂u/∂wᵣ = aᵣ1{wᵣᵀx ≥ 0}x/√m', () => {
    const G = empiricalNtk(twoLayer, W, X).dataSync();
    const H = gramMatrix(X, W).dataSync();
    for (let i = 0; i < G.length; i++) expect(G[i]).toBeCloseTo(H[i]!, 14);
  });

  it('sums over the leaves of a params pytree: the output layer adds (1/m)σ(Xwᵣ)σ(Xwᵣ)ᵀ summed over r', () => {
    const net = (p: { w: Tensor; a: Tensor }, x: Tensor) => div(matmul(maximum(matmul(x, transpose(p.w)), 0), p.a), Math.sqrt(m));
    const G = empiricalNtk(net, { w: W, a }, X).dataSync();
    const S = maximum(matmul(X, transpose(W)), 0);
    const extra = div(matmul(S, transpose(S)), m);
    const want = add(gramMatrix(X, W), extra).dataSync();
    for (let i = 0; i < G.length; i++) expect(G[i]).toBeCloseTo(want[i]!, 14);
  });

  it('of a linear model f(θ, X) = Xθ is XXᵀ; refuses outputs that are not one per row', () => {
    const theta = randn(prng(46), [3], { dtype: 'float64' });
    const G = empiricalNtk((t: Tensor, x: Tensor) => matmul(x, t), theta, X).dataSync();
    const XX = matmul(X, transpose(X)).dataSync();
    for (let i = 0; i < G.length; i++) expect(G[i]).toBeCloseTo(XX[i]!, 15);
    expect(() => empiricalNtk((t: Tensor, x: Tensor) => sum(matmul(x, t)), theta, X)).toThrow(/empiricalNtk: f\(params, X\) must return one output per row of X, \[6\] or \[6, 1\], got \[\]/);
  });
});
