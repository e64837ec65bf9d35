import { beforeAll, describe, expect, it } from 'vitest';
import { saddleEscape } from '../src/index.js';
import type { ExperimentResult } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(saddleEscape);
});

describe('saddle-escape --quick', () => {
  it('plain GD started on the stable manifold stays at the saddle', () => {
    expect(result.headline.plainGdStaysAtSaddle).toBe(true);
    expect(result.headline.plainFinalGradNorm as number).toBeLessThan(1e-12);
  });

  it('GD started off the manifold escapes after about log(1/offset)/log(1 − 2αε) steps', () => {
    // Offset 1e-6, α = 0.25, ε = −0.1: the unstable component grows by 1.05 a step, so w₁ reaches
    // O(1) after ln(1e6)/ln(1.05) ≈ 283 steps; the escape criterion L < −0.05 is met a little earlier.
    const step = result.headline.offManifoldEscapeStep as number;
    expect(step).toBeGreaterThan(200);
    expect(step).toBeLessThan(300);
  });

  it('perturbed GD escapes in every seeded trial', () => {
    expect(result.headline.perturbedTrials).toBe(20);
    expect(result.headline.perturbedEscaped).toBe(20);
    expectDrawable(result);
  });
});
