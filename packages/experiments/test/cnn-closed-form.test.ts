import { beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentResult, cnnClosedForm } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(cnnClosedForm);
});

// k = 4 patches, ‖w*‖ = 1: β = (k² − k)/2π, γ = β + k/2.
const k = 4;
const beta = (k * k - k) / (2 * Math.PI);
const gamma = beta + k / 2;

describe('cnn-closed-form --quick (k = 4 patches in R², 4·10⁴ Monte Carlo inputs)', () => {
  it('eq. (10) with its constant matches Monte Carlo on the grid; the printed form is off by γ‖w*‖²/k²', () => {
    expect(result.headline.eq10WorstZ as number).toBeLessThan(4.5);
    expect(result.headline.printedEq10Offset as number).toBeCloseTo(gamma / k ** 2, 12);
  });

  it('finds the lemma’s points: w* a minimum with Hessian eigenvalues 1/k and 2γ/k², the saddle at −ρw* degenerate', () => {
    expect(result.headline.saddleCoefficient as number).toBeCloseTo((k * k - k) / (k * k + (Math.PI - 1) * k), 15);
    expect(result.headline.gradNormAtMinimum as number).toBeLessThan(1e-12);
    expect(result.headline.hessianMinAtMinimum as number).toBeCloseTo(1 / k, 12);
    expect(result.headline.hessianMaxAtMinimum as number).toBeCloseTo((2 * gamma) / k ** 2, 12);
    expect(result.headline.gradNormAtSaddle as number).toBeLessThan(1e-12);
    const [flat, along] = JSON.parse(result.headline.hessianAtSaddle as string) as number[];
    expect(Math.abs(flat!)).toBeLessThan(1e-12);
    expect(along).toBeCloseTo((2 * gamma) / k ** 2, 12);
    expect(result.headline.maxSlopeAtZero as number).toBeLessThan(0);
  });

  it('GD with step k²/2γ converges linearly at the rate (1 − lr/k)² of the Hessian at w*, far inside O(1/ε²)', () => {
    const lr = (k * k) / (2 * gamma);
    expect(result.headline.gdTailRate as number).toBeCloseTo((1 - lr / k) ** 2, 2);
    expect(result.headline.gdLogLogSlope as number).toBeLessThan(1);
  });

  it('eq. (12) as printed misses Monte Carlo; with the last coefficient −‖w*‖/π it is the closed form', () => {
    expect(result.headline.eq12WorstZ as number).toBeLessThan(4.5);
    expect(result.headline.eq12PrintedBestZ as number).toBeGreaterThan(4);
    expect(result.headline.eq12CorrectedGap as number).toBeLessThan(1e-12);
    expectDrawable(result);
  });
});
