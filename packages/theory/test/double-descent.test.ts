import { add, matmul, mul, pinv, prng, randn, splitKey, square, sub, sum } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { minNormRisk, minNormRiskExact } from '../src/index.js';

describe('minNormRisk (equations 2–5 of the double-descent report)', () => {
  it('has the printed values at γ = 1/2 and γ = 2, and is infinite at γ = 1', () => {
    // γ = 1/2, σ = 0.1, ‖β‖ = 1: B = 1/4, V = 1/4 + σ², MSE = σ² + B + V.
    const half = minNormRisk({ n: 50, d: 100, sigma: 0.1 });
    expect(half.bias).toBeCloseTo(0.25, 14);
    expect(half.variance).toBeCloseTo(0.25 + 0.01, 14);
    expect(half.testMse).toBeCloseTo(0.01 + 0.5 + 0.01, 14);
    const two = minNormRisk({ n: 200, d: 100, sigma: 0.1 });
    expect(two.bias).toBe(0);
    expect(two.variance).toBeCloseTo(0.01, 14);
    expect(minNormRisk({ n: 100, d: 100, sigma: 0.1 }).testMse).toBe(Number.POSITIVE_INFINITY);
    // ‖β‖ scales the signal terms quadratically.
    expect(minNormRisk({ n: 50, d: 100, sigma: 0, betaNorm: 3 }).testMse).toBeCloseTo(9 * 0.5, 13);
  });

  it('approaches the exact finite-n expectation as d grows at fixed γ', () => {
    for (const g of [0.3, 0.5, 1.5, 2]) {
      const rel = (d: number) => {
        const o = { n: g * d, d, sigma: 0.1 };
        return Math.abs(minNormRisk(o).testMse - minNormRiskExact(o).testMse) / minNormRiskExact(o).testMse;
      };
      expect(rel(100_000)).toBeLessThan(1e-3);
      expect(rel(100_000)).toBeLessThan(rel(1000));
    }
  });

  it('rejects bad options, naming the function and the option', () => {
    expect(() => minNormRisk({ n: 0, d: 10, sigma: 0.1 })).toThrow(/minNormRisk: n must be an integer ≥ 1, got 0/);
    expect(() => minNormRiskExact({ n: 5, d: 10, sigma: -1 })).toThrow(/minNormRiskExact: sigma must be a finite number ≥ 0, got -1/);
    expect(() => minNormRisk({ n: 5, d: 10, sigma: 0.1, beta: 1 } as never)).toThrow(/unknown option "beta"/);
    expect(() => minNormRisk(5 as never)).toThrow(/options must be an object/);
  });
});

describe('minNormRiskExact', () => {
  it('matches a seeded Monte Carlo of min-norm least squares (400 designs, 3-sigma band)', () => {
    // d = 24, σ = 0.5: n = 8 (under-determined) and n = 40 (over-determined); 400 draws of X, β, η.
    const d = 24;
    const sigma = 0.5;
    for (const n of [8, 40]) {
      const draws: number[] = [];
      for (const k of splitKey(prng(n), 400)) {
        const [kb, kx, ke] = splitKey(k, 3);
        const g = randn(kb!, [d, 1], { dtype: 'float64' });
        const beta = mul(g, 1 / Math.sqrt(sum(square(g)).item()));
        const x = randn(kx!, [n, d], { dtype: 'float64' });
        const y = add(matmul(x, beta), mul(randn(ke!, [n, 1], { dtype: 'float64' }), sigma));
        // E over a fresh test point of (⟨x, β̂⟩ − y)² = σ² + ‖β̂ − β‖² for x ~ N(0, I).
        const err = sub(matmul(pinv(x), y), beta);
        draws.push(sigma ** 2 + sum(square(err)).item());
      }
      const m = draws.reduce((a, b) => a + b, 0) / draws.length;
      const sd = Math.sqrt(draws.reduce((a, b) => a + (b - m) ** 2, 0) / (draws.length - 1));
      const expected = minNormRiskExact({ n, d, sigma }).testMse;
      expect(Math.abs(m - expected), `n = ${n}: MC ${m} vs exact ${expected}`).toBeLessThan((3 * sd) / Math.sqrt(draws.length));
    }
  });
});
