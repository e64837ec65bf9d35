import { div, matmul, mul, prng, randn, splitKey, sqrt, square, sum, type Tensor, tanh, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { deepGramKernel, gramInfinity, reluKernel } from '../src/index.js';
import { expectWithinSe } from './monte-carlo.js';

const unitRows = (x: Tensor) => div(x, sqrt(sum(square(x), { axis: 1, keepdims: true })));
const X = unitRows(tensor([[1, 0.2, -0.3], [0.4, 1, 0.1], [-0.5, 0.3, 1], [0.9, 0.8, 0]], { dtype: 'float64' }));
const n = 4;

describe('deepGramKernel: Du et al.’s K^(H), the λ₀ of survey eqs. (23)–(24)', () => {
  it('for one ReLU layer with c = 1 is Du et al.’s H∞ (gramInfinity), to 1e-13', () => {
    const K = deepGramKernel(X, 1, { c: 1 }).dataSync();
    const H = gramInfinity(X).dataSync();
    for (let t = 0; t < n * n; t++) expect(Math.abs(K[t]! - H[t]!)).toBeLessThan(1e-13);
  });

  it('for two ReLU layers follows from reluKernel (K^(1) = c·g(xᵢ, xⱼ)) and relu′’s (π − θ)/2π', () => {
    const c = 2;
    const rows = (X.toArray() as number[][]).map((r) => tensor(r, { dtype: 'float64' }));
    const K1 = rows.map((xi) => rows.map((xj) => c * reluKernel(xi, xj).item()));
    const K = deepGramKernel(X, 2, { c }).dataSync();
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const theta = Math.acos(Math.min(1, K1[i]![j]! / Math.sqrt(K1[i]![i]! * K1[j]![j]!)));
      expect(K[i * n + j]).toBeCloseTo(c * K1[i]![j]! * (Math.PI - theta) / (2 * Math.PI), 12);
    }
  });

  it('for two tanh layers matches the last-layer Gram of 40 random nets of width 400 (mean within 4 s.e.)', () => {
    // G^(2)ᵢⱼ = (c/m)Σᵣ aᵣ² sech²(u_{r,i}) sech²(u_{r,j}) ⟨x¹ᵢ, x¹ⱼ⟩, x¹ = √(c/m)·tanh(W¹x), u = W²x¹.
    const c = 2;
    const m = 400;
    const nets = 40;
    const K = deepGramKernel(X, 2, { activation: 'tanh', c }).dataSync();
    const samples = Array.from({ length: n * n }, () => new Float64Array(nets));
    splitKey(prng(24), nets).forEach((key, t) => {
      const [k1, k2, ka] = splitKey(key, 3);
      const x1 = mul(tanh(matmul(X, transpose(randn(k1!, [m, 3], { dtype: 'float64' })))), Math.sqrt(c / m)); // [n, m]
      const u = matmul(x1, transpose(randn(k2!, [m, m], { dtype: 'float64' }))); // [n, m]
      const a2 = square(randn(ka!, [m], { dtype: 'float64' }));
      const sech2 = tanh(u).dataSync().map((v) => 1 - v * v);
      const a2d = a2.dataSync();
      const inner = matmul(x1, transpose(x1)).dataSync();
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let r = 0; r < m; r++) acc += a2d[r]! * sech2[i * m + r]! * sech2[j * m + r]!;
        samples[i * n + j]![t] = (c / m) * acc * inner[i * n + j]!;
      }
    });
    for (let t = 0; t < n * n; t++) expectWithinSe(K[t]!, samples[t]!);
  }, 30_000);

  it('converges in the quadrature nodes and refuses bad calls', () => {
    // Gauss–Hermite error falls fast with the node count (4e-5 at 24, 1e-7 at 48, 2e-11 at 96 from 300 nodes).
    const a = deepGramKernel(X, 3, { activation: 'tanh' }).dataSync();
    const b = deepGramKernel(X, 3, { activation: 'tanh', nodes: 300 }).dataSync();
    for (let t = 0; t < n * n; t++) expect(Math.abs(a[t]! - b[t]!)).toBeLessThan(1e-9);
    expect(() => deepGramKernel(X, 0)).toThrow(/deepGramKernel: depth \(the number of hidden layers H\) must be an integer ≥ 1, got 0/);
    expect(() => deepGramKernel(X, 2, { activation: 'gelu' } as never)).toThrow(/deepGramKernel: activation must be one of 'relu', 'tanh', got 'gelu'/);
    expect(() => deepGramKernel(X, 2, { node: 3 } as never)).toThrow(/deepGramKernel: unknown option "node"/);
  });
});
