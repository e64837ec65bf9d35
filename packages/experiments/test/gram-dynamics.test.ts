import { beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentResult, gramDynamics } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(gramDynamics);
}, 120_000);

describe('gram-dynamics --quick (n = 20 unit inputs, widths 10 to 10⁴)', () => {
  it('at m = 10⁴ keeps λ_min(H(t)) above λ₀/2 (eq. 18) and near λ₀, and the residual under exp(−λ₀t)·‖u(0) − y‖² (eq. 15)', () => {
    const h = result.headline;
    expect(h.widestWidth).toBe(10_000);
    const lambda0 = h.lambda0 as number;
    expect(h.widestMinLambda as number).toBeGreaterThan(lambda0 / 2);
    // H(0) averages 10⁴ indicators: it is within a few 1/√m of H∞.
    expect(Math.abs((h.widestMinLambda as number) - lambda0) / lambda0).toBeLessThan(0.1);
    expect(h.widestWorstRateRatio as number).toBeLessThanOrEqual(1);
  });

  it('moves the hidden weights ∝ m^(−1/2), as Du et al.’s O(n/(√m·λ₀)) bound scales', () => {
    expect(result.headline.movementSlope as number).toBeGreaterThan(-0.65);
    expect(result.headline.movementSlope as number).toBeLessThan(-0.35);
  });

  it('the three-layer Gram matrix by empiricalNtk drifts less at larger width', () => {
    expect(result.headline.deepDriftWidest as number).toBeLessThan(result.headline.deepDriftNarrowest as number);
    expectDrawable(result);
  });

  it('the last layer’s G^(H)(0) approaches Du et al.’s K^(3) with width, and its drift shrinks (eqs. 23–24)', () => {
    const h = result.headline;
    // λ₀ = λ_min(K^(3)) by deepGramKernel; at m = 64, λ_min(G^(H)(0)) = 0.072 is within 40% of it (0.015 at m = 16).
    expect(Math.abs((h.deepLastLambda0Widest as number) - (h.deepLambda0Kernel as number))).toBeLessThan(0.4 * (h.deepLambda0Kernel as number));
    expect(h.deepLastDriftWidest as number).toBeLessThan((h.deepLastDriftNarrowest as number) / 2);
  });
});
