import { beforeAll, describe, expect, it } from 'vitest';
import { descentLemma } from '../src/index.js';
import type { ExperimentResult } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(descentLemma);
});

describe('descent-lemma --quick', () => {
  it('α < 2/M converges, α > 2/M diverges, and min‖∇L‖ obeys the bound', () => {
    const h = result.headline;
    expect(h.convergedBelow2OverM).toBe(true);
    expect(h.divergedAbove2OverM).toBe(true);
    expect(h.boundHolds).toBe(true);
  });

  it('min‖∇L‖ decays like N^(-1/2) from the hard start, faster from a generic one', () => {
    const h = result.headline;
    expect(h.slopeHardStart as number).toBeGreaterThan(-0.6);
    expect(h.slopeHardStart as number).toBeLessThan(-0.4);
    expect(h.slopeGenericStart as number).toBeLessThan(-0.7);
  });

  it('on the nonconvex valley GD with α < 2/M (M on the sublevel set) descends monotonically', () => {
    expect(result.headline.valleyMonotoneAndConverged).toBe(true);
    // The largest Hessian norm on {L ≤ L(1, 0)} of (w₂ − w₁²)² + 0.1w₁².
    expect(result.headline.valleyM as number).toBeGreaterThan(80);
    expect(result.headline.valleyM as number).toBeLessThan(100);
    expectDrawable(result);
  });
});
