import { grad, hessian } from '@ddopt/autograd';
import { type Tensor, eigh, eye, reshape, tensor } from '@ddopt/tensor';
import { reluPopulationLoss } from '@ddopt/theory';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentResult, safranShamir } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(safranShamir);
}, 120_000);

describe('safran-shamir --quick (k = n = 8, 10 and k = 10, n = 11)', () => {
  it('runs at least 200 gradient-descent runs at (10, 10) and (10, 11), as the issue asks', () => {
    expect(result.headline.runs_k10_n10).toBeGreaterThanOrEqual(200);
    expect(result.headline.runs_k10_n11).toBeGreaterThanOrEqual(200);
  });

  it('finds spurious minima at k = n = 10 (the theorem) and fewer with one extra neuron (the table)', () => {
    const at10 = result.headline.spuriousPercent_k10_n10 as number;
    expect(at10).toBeGreaterThan(5);
    expect(result.headline.spuriousPercent_k10_n11 as number).toBeLessThan(at10);
  });

  it('reports a spurious end point that autograd on the tensor closed form confirms: ∇L ≈ 0, ∇²L ≻ 0, L ≫ 0', () => {
    const w = JSON.parse(result.headline.spuriousExample_k10_n10 as string) as number[];
    expect(w).toHaveLength(100);
    const V = eye(10, 10, 'float64');
    const L = (x: Tensor) => reluPopulationLoss(reshape(x, [10, 10]), V);
    const x = tensor(w, { dtype: 'float64' });
    expect(L(x).item()).toBeGreaterThan(0.01);
    const g = grad(L)(x).dataSync();
    expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-9);
    expect(eigh(hessian(L)(x)).values.dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it('has averages at the spurious minima within a factor 1–3 of the lecture’s (its columns read like ½E(·)²)', () => {
    const eig = result.headline.avgMinEig_k10_n10 as number;
    const obj = result.headline.avgObjective_k10_n10 as number;
    expect(eig / 0.03).toBeGreaterThan(1);
    expect(eig / 0.03).toBeLessThan(3);
    expect(obj / 0.022).toBeGreaterThan(1);
    expect(obj / 0.022).toBeLessThan(3);
  });

  it('puts the lecture’s numbers beside each row and draws its figures', () => {
    const row = result.comparison.rows.find((r) => r[0] === 10 && r[1] === 10)!;
    expect(row[5]).toBe(34.6);
    expect(row[8]).toBe(0.03);
    expectDrawable(result);
  });
});
