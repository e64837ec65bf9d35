import { describe, expect, it } from 'vitest';
import { closedFormMse, exactMse } from '../src/experiments/double-descent.js';
import { logLogFit, logSpacedInts } from '../src/experiments/fit.js';
import { type Lap, checkFindings } from '../src/experiments/race-findings.js';
import { valleyHessianNorm, valleyLipschitz, valleyLoss } from '../src/experiments/valley.js';

describe('experiment helpers', () => {
  it('logLogFit recovers the exponent of a power law', () => {
    const xs = logSpacedInts(1, 1000, 30);
    const { slope, intercept } = logLogFit(xs, xs.map((x) => 3 * x ** -0.5));
    expect(slope).toBeCloseTo(-0.5, 12);
    expect(Math.exp(intercept)).toBeCloseTo(3, 10);
  });

  it('the double-descent closed forms (eqs. 2–5) approach the exact finite-n risk as d grows', () => {
    const d = 100_000;
    for (const g of [0.3, 0.5, 1.5, 2]) {
      const n = g * d;
      expect(Math.abs(closedFormMse(n, d) - exactMse(n, d)) / exactMse(n, d)).toBeLessThan(1e-3);
    }
    // γ = 1/2, σ = 0.1: σ² + (1 − γ) + σ²γ/(1 − γ).
    expect(closedFormMse(50, 100)).toBeCloseTo(0.01 + 0.5 + 0.01, 12);
    expect(closedFormMse(100, 100)).toBe(Number.POSITIVE_INFINITY);
    expect(exactMse(101, 100)).toBe(Number.POSITIVE_INFINITY);
  });

  it('the valley Hessian norm is 2 at the minimum and bounds the gradient change on the sublevel set', () => {
    expect(valleyHessianNorm(0, 0, 0.1)).toBeCloseTo(2, 12);
    const level = valleyLoss(1, 0, 0.1);
    const m = valleyLipschitz(level, 0.1);
    expect(m).toBeGreaterThanOrEqual(valleyHessianNorm(1, 0, 0.1));
    // At w₁ = √(level/ε) on the valley floor (the set's extreme point) the curvature is 8w₁² + 2ε + ...
    const w1 = Math.sqrt(level / 0.1);
    expect(m).toBeGreaterThan(0.95 * valleyHessianNorm(w1, w1 * w1, 0.1));
  });

  it('checkFindings states each of the four findings from synthetic laps', () => {
    const lap = (name: string, final: number, quarter: number, zigzag: boolean): Lap => ({
      name,
      hyper: '',
      testAccuracy: 1,
      totalMs: 1,
      samples: Array.from({ length: 11 }, (_, i) => ({ step: i * 20, ms: i, batchLoss: 0, trainLoss: i === 0 ? 1 : i <= 2 ? quarter : final * (zigzag && i % 2 ? 1.1 : 1) })),
    });
    const laps = [lap('SGD', 0.01, 0.1, true), lap('SGDM', 0.02, 0.1, false), lap('SGD-NAG', 0.02, 0.1, false), lap('AdaGrad', 0.5, 0.6, false), lap('AdaDelta', 0.03, 0.2, false), lap('RMSProp', 0.015, 0.1, true), lap('Adam', 0.012, 0.1, false)];
    const fs = checkFindings(laps, 200);
    expect(fs.map((f) => f.holds)).toEqual([true, true, true, true]);
    // A fast AdaGrad breaks findings 1, 3 and (as the best adaptive method) 4.
    laps[3] = lap('AdaGrad', 0.001, 0.05, false);
    expect(checkFindings(laps, 200).map((f) => f.holds)).toEqual([false, true, false, false]);
    expect(() => checkFindings(laps.slice(1), 200)).toThrow(/no lap named SGD; have SGDM/);
  });
});
