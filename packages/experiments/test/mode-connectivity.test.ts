// Mode connectivity, quick: two 784-64-10 MLPs on 1000 digits from different seeds, the straight
// segment between them and a trained quadratic Bézier curve.
import { tensor } from '@ddopt/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { barrier, bezier, modeConnectivity, segment } from '../src/001-lecture/mode-connectivity.js';
import type { ExperimentResult } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(modeConnectivity);
});

describe('bezier, segment, barrier', () => {
  it('match their closed forms at t = 0, ½, 1 and an arbitrary t', () => {
    const a = { w: tensor([1, 2], { dtype: 'float64' }) };
    const b = { w: tensor([5, -3], { dtype: 'float64' }) };
    const c = { w: tensor([-2, 7], { dtype: 'float64' }) };
    const at = (p: { w: ReturnType<typeof tensor> }) => Array.from(p.w.dataSync());
    expect(at(bezier(0, a, b, c))).toEqual([1, 2]);
    expect(at(bezier(1, a, b, c))).toEqual([-2, 7]);
    // φ(½) = (θ₁ + 2θ_b + θ₂)/4
    expect(at(bezier(0.5, a, b, c))).toEqual([(1 + 10 - 2) / 4, (2 - 6 + 7) / 4]);
    // φ(0.3) = 0.49·θ₁ + 0.42·θ_b + 0.09·θ₂
    const p = at(bezier(0.3, a, b, c));
    expect(p[0]).toBeCloseTo(0.49 * 1 + 0.42 * 5 + 0.09 * -2, 12);
    expect(p[1]).toBeCloseTo(0.49 * 2 + 0.42 * -3 + 0.09 * 7, 12);
    expect(at(segment(0.25, a, c))).toEqual([0.75 - 0.5, 1.5 + 1.75]);
    expect(barrier([1, 3, 2, 0.5])).toBeCloseTo(3 - 0.75, 12);
  });
});

describe('mode-connectivity --quick', () => {
  it("both paths start and end at the two nets' own losses", () => {
    const h = result.headline;
    expect(h.lineStart).toBe(h.loss1);
    expect(h.curveStart).toBe(h.loss1);
    // (1 − 1)·θ₁ + 1·θ₂ and 0·θ₁ + 0·θ_b + 1·θ₂ are θ₂ exactly in float32.
    expect(h.lineEnd).toBe(h.loss2);
    expect(h.curveEnd).toBe(h.loss2);
  });

  it("the trained curve's highest loss is at most the straight segment's (Draxler et al.'s claim)", () => {
    const h = result.headline;
    expect(h.curveMax as number).toBeLessThanOrEqual(h.lineMax as number);
    expect(h.lineBarrier as number).toBeGreaterThan(0);
    expect(h.curveBarrierRatio).toBeCloseTo((h.curveBarrier as number) / (h.lineBarrier as number), 12);
  });

  it('trains both endpoints far below chance error (90% for ten classes)', () => {
    expect(result.headline.endsTestError as number).toBeLessThan(0.25);
  });

  it('draws its figures', () => {
    expectDrawable(result);
  });
});
