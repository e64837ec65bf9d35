import { beforeAll, describe, expect, it } from 'vitest';
import { doubleDescent } from '../src/index.js';
import type { ExperimentResult } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(doubleDescent);
});

describe('double-descent --quick (d = 200)', () => {
  it('peaks at n = d and is within 10% of equations (2)–(5) away from the peak', () => {
    const h = result.headline;
    expect(h.d).toBe(200);
    expect(h.peakN).toBe(200);
    expect(h.worstRelErrAwayFromPeak as number).toBeLessThanOrEqual(0.1);
    // At n = d the expected risk is infinite: the empirical peak is far above every other point.
    expect(h.peakMse as number).toBeGreaterThan(10);
  });

  it('reports the closed form beside each empirical point and draws both figures', () => {
    const rows = result.comparison.rows;
    expect(rows.length).toBe(10);
    // γ = 0.4: σ² + (1 − γ) + σ²γ/(1 − γ); γ = 2: σ² + σ²/(γ − 1), with σ = 0.1.
    expect(rows.find((r) => r[0] === 80)![4]).toBeCloseTo(0.01 + 0.6 + 0.004 / 0.6, 12);
    expect(rows.find((r) => r[0] === 400)![4]).toBeCloseTo(0.02, 12);
    expectDrawable(result);
  });
});
