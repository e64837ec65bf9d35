import { beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentResult, identityMapping } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(identityMapping);
}, 120_000);

describe('identity-mapping --quick (d = 8, SGD on fresh Gaussian minibatches)', () => {
  it('from zero, the net with identity mapping reaches W* (distance down by more than 20×)', () => {
    const h = result.headline;
    expect(h.finalDistance_identity_zeroInit as number).toBeLessThan((h.initialDistance as number) / 20);
    expect(h.finalDistance_identity_randomInit as number).toBeLessThan((h.initialDistance as number) / 20);
  });

  it('from zero, the plain net keeps every hidden unit identical (symmetry) and stays far from its target', () => {
    const h = result.headline;
    // Equal columns get equal gradients, so they stay exactly equal: the spread is 0, not small.
    expect(h.plainZeroInitColumnSpread).toBe(0);
    expect(h.finalDistance_plain_zeroInit as number).toBeGreaterThan(0.5 * (h.initialDistance_plain_zeroInit as number));
    expectDrawable(result);
  });
});
