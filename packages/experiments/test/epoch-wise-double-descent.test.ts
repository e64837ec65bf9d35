// Epoch-wise double descent, quick: two-layer nets of width 8, 64, 512 on n = 600 MNIST digits at
// 14×14 with 20% label noise, 40 epochs of Adam; test error at every epoch.
import { beforeAll, describe, expect, it } from 'vitest';
import { curveShape, epochWiseDoubleDescent, evalEpochs } from '../src/003-double-descent/epoch-wise-double-descent.js';
import type { ExperimentResult } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(epochWiseDoubleDescent);
});

describe('curveShape (how a peak and a second descent are read off a curve)', () => {
  it('finds the first minimum, the peak above it and a second descent beyond two standard errors', () => {
    const epochs = [1, 2, 3, 4, 5, 6];
    // Falls to 0.15, rises to 0.30, falls to 0.10: with 10⁴ test samples 2 s.e. ≈ 0.009.
    const s = curveShape(epochs, [0.6, 0.15, 0.2, 0.3, 0.2, 0.1], 10_000);
    expect(s).toMatchObject({ firstMinEpoch: 2, firstMinError: 0.15, peakEpoch: 4, peakError: 0.3, finalError: 0.1, riseSignificant: true, secondDescent: true });
    // The same rise and fall on 20 test samples is within noise (2 s.e. at 0.3 ≈ 0.2).
    expect(curveShape(epochs, [0.6, 0.15, 0.2, 0.3, 0.2, 0.1], 20)).toMatchObject({ riseSignificant: false, secondDescent: false });
    // A classical U: the peak is the last epoch, so nothing can follow it.
    expect(curveShape(epochs, [0.6, 0.2, 0.15, 0.2, 0.25, 0.3], 10_000)).toMatchObject({ firstMinEpoch: 3, peakEpoch: 6, riseSignificant: true, secondDescent: false });
    // Monotone descent: no rise.
    expect(curveShape(epochs, [0.6, 0.5, 0.4, 0.3, 0.2, 0.1], 10_000)).toMatchObject({ riseSignificant: false, secondDescent: false, firstMinEpoch: 6 });
  });

  it('evaluates every epoch up to 50, then about a hundred more', () => {
    expect(evalEpochs(40)).toEqual(Array.from({ length: 41 }, (_, i) => i));
    const e = evalEpochs(1000);
    expect(e.slice(0, 51)).toEqual(Array.from({ length: 51 }, (_, i) => i));
    expect(e.length).toBe(51 + 95);
    expect(e[e.length - 1]).toBe(1000);
  });
});

describe('epoch-wise-double-descent --quick', () => {
  it('corrupts 20% of the 600 training labels within binomial tolerance', () => {
    const p = 0.2;
    expect(result.headline.noiseRequested).toBe(p);
    expect(Math.abs((result.headline.noiseMeasured as number) - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / 600));
  });

  it('starts near chance on ten classes and learns far below it', () => {
    // An untrained net puts most digits in one or two classes: error near 90%.
    expect(result.headline.largeInitialTestError as number).toBeGreaterThan(0.7);
    expect(result.headline.firstMinTestError as number).toBeLessThan(0.3);
  });

  it('the largest net (n_p ≈ 18 nK) fits relabelled samples to their wrong label far above chance', () => {
    expect(result.headline.largeParams).toBe(197 * 512 + 513 * 10);
    // A net that predicted the true class would fit none of them, a random one 1 in 10.
    expect(result.headline.largeFinalMemorized as number).toBeGreaterThan(0.2);
  });

  it('reads its headline off the curve it draws, and draws its figures', () => {
    const fig = result.figures.find((f) => f.id === 'edd-test-error')!;
    const large = fig.series[fig.series.length - 1]!.points;
    expect(large.find((q) => q.x === result.headline.peakEpoch)!.y).toBe(result.headline.peakTestError);
    expect(large[large.length - 1]!.y).toBe(result.headline.finalTestError);
    expectDrawable(result);
  });
});
