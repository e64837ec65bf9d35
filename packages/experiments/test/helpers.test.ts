import { describe, expect, it } from 'vitest';
import { valleyHessianNorm, valleyLipschitz, valleyLoss } from '../src/001-lecture/valley.js';
import { type Lap, checkFindings } from '../src/003-momentum/race-findings.js';
import { logLogFit, logSpacedInts, meanStd } from '../src/stats.js';

describe('experiment helpers', () => {
  it('logLogFit recovers the exponent of a power law', () => {
    const xs = logSpacedInts(1, 1000, 30);
    const { slope, intercept } = logLogFit(xs, xs.map((x) => 3 * x ** -0.5));
    expect(slope).toBeCloseTo(-0.5, 12);
    expect(Math.exp(intercept)).toBeCloseTo(3, 10);
  });

  it('meanStd gives the mean and the sample standard deviation', () => {
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(5 / 3) });
    expect(meanStd([7])).toEqual({ mean: 7, std: 0 });
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
