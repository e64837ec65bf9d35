import { describe, expect, it } from 'vitest';
import { qpLayer } from '../src/003-discrete/qp-layer.js';
import type { ExperimentResult } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

describe('qp-layer (OptNet, a reference of report 003) — quick', () => {
  let result: ExperimentResult;
  it('runs its quick configuration', async () => {
    result = await runQuick(qpLayer);
  }, 300_000);

  it('the KKT gradient matches central differences of the solver', () => {
    expect(result.headline.kktGradientOk).toBe(true);
    expect(result.headline.kktGradientMaxAbsError as number).toBeLessThan(1e-6);
  });

  it('the layer learns the hidden constraints: test error falls by more than 100×', () => {
    expect(result.headline.testMseAfter as number).toBeLessThan((result.headline.testMseBefore as number) / 100);
  });

  it('draws its figures and survives JSON', () => {
    expectDrawable(result);
  });
});
