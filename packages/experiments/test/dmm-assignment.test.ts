import { describe, expect, it } from 'vitest';
import { dmmAssignment } from '../src/003-discrete/dmm-assignment.js';
import type { ExperimentResult } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

describe('dmm-assignment (report 003, §3.4, Algorithm 1) — quick', () => {
  let result: ExperimentResult;
  it('runs its quick configuration', async () => {
    result = await runQuick(dmmAssignment);
  }, 300_000);

  it('the averaged iterates approach the Hungarian optimum: the gap shrinks at least tenfold from 1 to 200 steps', () => {
    // Projected gradient descent with a fixed step reaches the optimal vertex and stays, so the
    // average's excess cost decays like 1/N_grad.
    expect(result.headline.gapAtMostSteps as number).toBeLessThan((result.headline.gapAtFewSteps as number) / 10);
    expect(result.headline.argmaxAgreementAtMostSteps as number).toBeGreaterThanOrEqual(0.95);
  });

  it('a cost model trained through the relaxation recovers the true matchings (the hidden map scores 1 by construction)', () => {
    expect(result.headline.accuracyHiddenMap).toBe(1);
    expect(result.headline.accuracyAfter as number).toBeGreaterThanOrEqual(0.9);
    expect(result.headline.accuracyAfter as number).toBeGreaterThan(result.headline.accuracyBefore as number);
  });

  it('draws its figures and survives JSON', () => {
    expectDrawable(result);
  });
});
