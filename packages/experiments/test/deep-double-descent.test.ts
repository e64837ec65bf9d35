// Deep double descent, quick: RFF on n = 200 MNIST digits (N = 20…1600 features); two-layer nets on
// n = 200 digits at 14×14 (widths 2…96, 200 full-batch epochs, with and without weight reuse); CNNs of width 1, 2, 4 on
// n = 100 digits at 14×14 with 0, 10, 20% label noise. The grid is run once, its jobs kept.
import { beforeAll, describe, expect, it } from 'vitest';
import { deepDoubleDescent, fcParams } from '../src/003-double-descent/deep-double-descent.js';
import { type ExperimentResult, type JobRecord, jobSeed, type RunConfig } from '../src/index.js';
import { expectDrawable } from './run-quick.js';

const config: RunConfig = { mode: 'quick', seed: 0, backend: 'cpu' };
let result: ExperimentResult;
let jobs: JobRecord[];
beforeAll(async () => {
  // What runSweepInline does, keeping the job records for the per-width checks.
  const sweep = deepDoubleDescent.sweep!;
  jobs = [];
  for (const point of sweep.grid(config)) {
    const seed = jobSeed(config.seed, point);
    jobs.push({ point, seed, output: await sweep.job({ mode: config.mode, backend: config.backend, seed, point }), seconds: 0 });
  }
  result = sweep.summarize(jobs, config);
});

const part = (name: string) => jobs.filter((j) => j.point.part === name);

describe('deep-double-descent --quick: random Fourier features', () => {
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
});

describe('deep-double-descent --quick: two-layer nets with and without weight reuse', () => {
  it('counts parameters as the report does: n_p = (d + 1)H + (H + 1)K', () => {
    // d = 196 (14×14), K = 10; the threshold is nK = 200 · 10.
    expect(result.headline.fcThresholdParams).toBe(2000);
    for (const j of part('fc')) expect(j.output.params).toBe(197 * (j.point.width as number) + ((j.point.width as number) + 1) * 10);
    expect(fcParams(784, 50)).toBe(785 * 50 + 51 * 10);
  });

  it('the widest net (n_p ≈ 10 nK) interpolates its 200 training digits', () => {
    expect(result.headline.fcWidestWidth).toBe(96);
    expect(result.headline.fcWidestTrainError as number).toBeLessThanOrEqual(0.01);
    // …and generalises far better than chance (90%) on 1000 held-out digits.
    expect(result.headline.fcWidestTestError as number).toBeLessThan(0.4);
  });

  it('a reused net starts where the smaller trained net ended, below a fresh start of the same width', () => {
    const chain = part('fc-reuse')[0]!.output;
    const widths = String(chain.widths).split(',').map(Number);
    // Belkin et al. reuse below the threshold only: n_p(H) ≤ nK = 2000 holds for H ≤ 9.
    expect(widths).toEqual([2, 4, 6, 8, 9]);
    const fresh = new Map(part('fc').map((j) => [j.point.width as number, j.output]));
    for (let i = 1; i < widths.length; i++) {
      const w = widths[i]!;
      const start = chain[`initialTrainLoss@${w}`] as number;
      const before = chain[`trainLoss@${widths[i - 1]}`] as number;
      const freshStart = fresh.get(w)!.initialTrainLoss as number;
      expect(start, `H = ${w}`).toBeLessThanOrEqual(freshStart);
      // Predicting zeros costs exactly 1 per sample on one-hot targets; the reused start is below it,
      // and the N(0, 0.01) units it adds keep it much nearer where the smaller net ended than a fresh start is.
      expect(start, `H = ${w}`).toBeLessThan(1);
      expect(Math.abs(start - before), `H = ${w}`).toBeLessThan(Math.abs(freshStart - before) / 2);
    }
  });
});

describe('deep-double-descent --quick: CNNs with label noise', () => {
  it('corrupts the fraction of labels requested, within binomial tolerance, the same labels for every width', () => {
    const n = 100;
    for (const p of [0, 0.1, 0.2]) {
      const at = part('cnn').filter((j) => j.point.noise === p);
      expect(at.map((j) => j.point.width).sort()).toEqual([1, 2, 4]);
      const measured = at.map((j) => j.output.noiseMeasured as number);
      expect(new Set(measured).size).toBe(1);
      // Four standard deviations of a Binomial(n, p) fraction.
      expect(Math.abs(measured[0]! - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / n) + 1e-12);
      expect(result.headline[`cnnMeasuredNoise${Math.round(100 * p)}`]).toBe(measured[0]);
    }
  });

  it('keeps the RFF headline key and draws its figures', () => {
    expect(typeof result.headline.rffPeakAtInterpolationThreshold).toBe('boolean');
    expect(result.figures.map((f) => f.id)).toEqual(['ddd-rff-test-mse', 'ddd-rff-test-error', 'ddd-rff-norm', 'ddd-fc-test-loss', 'ddd-fc-test-error', 'ddd-fc-train-loss', 'ddd-cnn-test-error', 'ddd-cnn-train-error']);
    expectDrawable(result);
  });
});
