import { beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentResult, quadraticActivations } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(quadraticActivations);
}, 120_000);

describe('quadratic-activations --quick (d = 4, k ≤ 4, n ≤ 24, perturbed GD)', () => {
  it('uses a gradient equal to autograd’s of quadraticNetLoss (to rounding)', () => {
    expect(result.headline.gradientCheck as number).toBeLessThan(1e-12);
  });

  it('finds no spurious second-order stationary point where kd ≥ n (survey eq. 21), over at least 50 runs', () => {
    expect(result.headline.runsOverParameterized as number).toBeGreaterThanOrEqual(50);
    expect(result.headline.spuriousSospOverParameterized).toBe(0);
    expect(result.headline.successRateOverParameterized as number).toBeGreaterThan(0.5);
    expectDrawable(result);
  });
});
