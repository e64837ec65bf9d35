// Deep double descent (RFF part), quick: n = 200 MNIST digits, N = 20…1600 random Fourier features.
import { beforeAll, describe, expect, it } from 'vitest';
import { deepDoubleDescent } from '../src/003-double-descent/deep-double-descent.js';
import type { ExperimentResult } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(deepDoubleDescent);
});

describe('deep-double-descent --quick (random Fourier features)', () => {
  it('first interpolates at N = n: Φ [n, N] has full row rank exactly when N ≥ n', () => {
    // Generic random features give rank(Φ) = min(n, N), so the min-norm fit's training error is
    // zero iff N ≥ n; the grid holds 190, 200 and 210 around n = 200.
    expect(result.headline.n).toBe(200);
    expect(result.headline.interpolationThreshold).toBe(200);
  });

  it('has its test-loss peak at the interpolation threshold, and well below chance error at the largest N', () => {
    expect(result.headline.peakFeatures).toBe(200);
    // Ten classes: chance is 90% zero-one error; the kernel regime with 200 digits is far below it.
    expect(result.headline.lastTestError as number).toBeLessThan(0.3);
    // At N = n the fit's squared test loss is far above the 0.1 of predicting zeros for one-hot targets.
    expect(result.headline.peakTestMse as number).toBeGreaterThan(1);
  });

  it('draws its figures', () => {
    expectDrawable(result);
  });
});
