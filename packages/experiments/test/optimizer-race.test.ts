import { beforeAll, describe, expect, it } from 'vitest';
import { optimizerRace } from '../src/index.js';
import type { ExperimentResult } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(optimizerRace);
});

describe('optimizer-race --quick (600 steps on Iris)', () => {
  it('starts every optimizer from the same loss, and every one trains', () => {
    const h = result.headline;
    expect(h.initialLossSpread).toBe(0);
    // Three balanced classes: cross-entropy at a PyTorch-default init is near ln 3.
    expect(Math.abs((h.initialLoss as number) - Math.log(3))).toBeLessThan(0.2);
    const finals = Object.entries(h).filter(([k]) => /^(torchF|f)inalLoss/.test(k));
    expect(finals).toHaveLength(10 + 7);
    for (const [name, v] of finals) expect(v as number, name).toBeLessThan(0.2 * (h.initialLoss as number));
    // 50 held-out samples: every optimizer classifies at least 40 correctly.
    expect(h.worstHeldOutAccuracy as number).toBeGreaterThanOrEqual(0.8);
  });

  it('the algorithms that exist in both families (SGD, RMSProp, Adam) give the same curves', () => {
    expect(result.headline.worstRelDiffSameAlgorithm as number).toBeLessThan(1e-3);
  });

  it("states each of the report's four findings with its evidence, for both families", () => {
    const findings = result.comparison.rows.filter((row) => /^[1-4]\. /.test(String(row[0])));
    expect(findings.map((row) => String(row[0]).slice(0, 2))).toEqual(['1.', '2.', '3.', '4.']);
    for (const row of findings) {
      expect(['holds', 'does not hold']).toContain(row[1]);
      expect(['holds', 'does not hold']).toContain(row[3]);
      expect(String(row[2]).length).toBeGreaterThan(10);
    }
    expectDrawable(result);
  });
});
