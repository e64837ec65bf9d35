// Loss landscapes, quick: a 784-64-10 MLP on 1024 digits, small vs large batch; and the
// filter-normalised direction and the curvature on small nets built here.
import { Conv2d, Dense, Flatten, mlp, mse, Sequential } from '@ddopt/layers';
import { prng, randn, type Tensor } from '@ddopt/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterNormalizedDirection, filterNorms } from '../src/001-lecture/landscape-tools.js';
import { curve1d, directionalCurvature, lossLandscape } from '../src/001-lecture/loss-landscape.js';
import type { ExperimentResult } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(lossLandscape);
});

describe('filterNormalizedDirection', () => {
  it('gives every filter of every weight the norm of the same filter of the weights, and zero biases (dense and conv, several seeds)', () => {
    const net = Sequential([Conv2d({ filters: 4, kernelSize: 3 }), 'relu', Conv2d({ filters: 3, kernelSize: 3 }), 'relu', Flatten(), Dense({ units: 5 })]);
    for (const seed of [0, 1, 2]) {
      const params = net.init(prng(100 + seed), [2, 7, 7], { dtype: 'float64' }).params as Record<string, Tensor>[];
      const direction = filterNormalizedDirection(prng(seed), params) as Record<string, Tensor>[];
      let checkedWeights = 0;
      params.forEach((layer, i) => {
        for (const [name, w] of Object.entries(layer)) {
          const d = direction[i]![name]!;
          expect(d.shape).toEqual(w.shape);
          if (w.rank < 2) {
            expect(Array.from(d.dataSync()).every((v) => v === 0)).toBe(true);
            continue;
          }
          const want = filterNorms(w);
          const got = filterNorms(d);
          for (const [k, g] of got.entries()) expect(g).toBeCloseTo(want[k]!, 10);
          // and the direction is not the weights themselves
          expect(Math.abs(d.dataSync()[0]! - w.dataSync()[0]!)).toBeGreaterThan(0);
          checkedWeights++;
        }
      });
      expect(checkedWeights).toBe(3);
    }
  });
});

describe('curve1d vs directionalCurvature', () => {
  it("the 1-D curve's central second difference at 0 equals dᵀ∇²L d from hvp (float64, tanh net)", () => {
    const net = mlp([6, 3], 'tanh');
    const params = net.init(prng(3), [4], { dtype: 'float64' }).params;
    const x = randn(prng(4), [20, 4], { dtype: 'float64' });
    const y = randn(prng(5), [20, 3], { dtype: 'float64' });
    const lossT = (p: typeof params) => mse(net.apply(p, x), y);
    const d = filterNormalizedDirection(prng(6), params);
    const h = 1e-4;
    const [m, c, p] = curve1d((q: typeof params) => lossT(q).item(), params, d, [-h, 0, h]) as [number, number, number];
    const fd = (p - 2 * c + m) / (h * h);
    const exact = directionalCurvature(lossT, params, d);
    // Central differences in float64 at h = 1e-4: truncation O(h²) and rounding ~1e-16/h² ≈ 1e-8.
    expect(Math.abs(fd - exact)).toBeLessThan(1e-5 * Math.max(1, Math.abs(exact)));
    expect(Math.abs(exact)).toBeGreaterThan(1e-3);
  });
});

describe('loss-landscape --quick', () => {
  it('the surfaces and curves at the origin are the trained losses; the interpolation ends at the two minima', () => {
    const h = result.headline;
    expect(h.surfaceOriginSmall).toBeCloseTo(h.trainLossSmall as number, 6);
    expect(h.surfaceOriginLarge).toBeCloseTo(h.trainLossLarge as number, 6);
    expect(h.curveOriginSmall).toBeCloseTo(h.trainLossSmall as number, 6);
    expect(h.interpolationStart).toBeCloseTo(h.trainLossSmall as number, 6);
    // θ_SB + 1·(θ_LB − θ_SB) is θ_LB up to float32 rounding.
    expect(Math.abs((h.interpolationEnd as number) - (h.trainLossLarge as number))).toBeLessThan(1e-4 * (h.trainLossLarge as number) + 1e-6);
  });

  it("the 1-D curve's second difference at grid step 0.0625 is within 25% of the hvp curvature along the same direction", () => {
    // The grid's second difference averages the curvature over [−h, h] and ReLU kinks; a 25% band.
    const h = result.headline;
    for (const [fd, exact] of [
      [h.curvatureFdSmallD1, h.curvatureHvpSmallD1],
      [h.curvatureFdLargeD1, h.curvatureHvpLargeD1],
    ] as [number, number][]) {
      expect(exact).toBeGreaterThan(0);
      expect(Math.abs(fd - exact)).toBeLessThan(0.25 * exact);
    }
  });

  it('trains both nets far below chance error (90% for ten classes) and takes 16× fewer steps with the large batch', () => {
    const h = result.headline;
    expect(h.testErrorSmall as number).toBeLessThan(0.25);
    expect(h.testErrorLarge as number).toBeLessThan(0.4);
    // 1024 digits: 64 minibatches of 16 and 4 of 256 per epoch.
    expect((h.stepsSmall as number) / (h.stepsLarge as number)).toBe(16);
    expect(h.pcaExplained as number).toBeGreaterThan(0);
    expect(h.pcaExplained as number).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('draws its figures', () => {
    expectDrawable(result);
  });
});
