import { beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentResult, adahessianLrRobustness } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(adahessianLrRobustness);
}, 120_000);

describe('adahessian-lr-robustness --quick (MLP on 1000 MNIST digits, 6 scales × 2 optimizers)', () => {
  it('fills the 2 × 6 table of the report with test accuracies, and says it is a stand-in', () => {
    const h = result.headline;
    const cells = Object.entries(h).filter(([k]) => /^(adamw|adahessian)X/.test(k));
    expect(cells).toHaveLength(12);
    for (const [k, v] of cells) {
      expect(v as number, k).toBeGreaterThanOrEqual(0);
      expect(v as number, k).toBeLessThanOrEqual(1);
    }
    // at the base rate both learn far beyond chance (10 classes: 0.1)
    expect(h.adamwX1 as number).toBeGreaterThan(0.6);
    expect(h.adahessianX1 as number).toBeGreaterThan(0.6);
    expect(result.comparison.rows[0]).toEqual(['report: AdamW (BLEU, IWSLT14)', 35.48, 35.6, 35.28, 34.78, 13.75, 0.5]);
    expect(result.verdict.text).toMatch(/MNIST/);
    expect(result.notes[0]).toMatch(/stand-in/);
  });

  it('the drops it reports are the table’s: best accuracy minus the worse of ×4 and ×5', () => {
    const h = result.headline;
    const row = (m: string) => ['0_5', '1', '2', '3', '4', '5'].map((s) => h[`${m}X${s}`] as number);
    const drop = (v: number[]) => Math.max(...v) - Math.min(v[4]!, v[5]!);
    expect(h.adamwDrop).toBeCloseTo(drop(row('adamw')), 12);
    expect(h.adahessianDrop).toBeCloseTo(drop(row('adahessian')), 12);
    expectDrawable(result);
  });
});
