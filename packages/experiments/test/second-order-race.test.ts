import { beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentResult, secondOrderRace } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

let result: ExperimentResult;
beforeAll(async () => {
  result = await runQuick(secondOrderRace);
}, 120_000);

describe('second-order-race --quick (25 iterations, two problems)', () => {
  it('Newton-CG reaches the strongly convex logistic regression’s minimum: ‖∇f‖ → 0 and every exact method agrees on f*', () => {
    const h = result.headline;
    expect(h.logregGradNormNewtonCg as number).toBeLessThan(1e-8);
    // a strongly convex function has one minimum value: the Newton-type methods and L-BFGS all approach it
    for (const m of ['NewtonCG', 'GaussNewton', 'LBFGS']) expect((h[`logregFinal${m}`] as number) - (h.logregFStar as number), m).toBeLessThan(1e-6);
    // GD at α = 1/M decreases the loss monotonically but slowly on a condition number ~10⁴
    expect(h.logregFinalGD as number).toBeGreaterThan((h.logregFStar as number) + 1e-6);
  });

  it('counts curvature products only for the methods that take them', () => {
    const h = result.headline;
    for (const m of ['GD', 'Adam', 'LBFGS']) expect(h[`logregProducts${m}`], m).toBe(0);
    // LiSSA: S2 = 30 products per step, exactly
    expect(h.logregProductsLiSSA).toBe(30 * (h.steps as number));
    for (const m of ['NewtonCG', 'GaussNewton', 'SQGN']) expect(h[`logregProducts${m}`] as number, m).toBeGreaterThan(0);
  });

  it('the least-squares MLP: every method that did not stop lowers the loss from its start', () => {
    const rows = result.comparison.rows.filter((r) => r[0] === 'mlp');
    expect(rows).toHaveLength(7);
    for (const r of rows) if (typeof r[2] === 'string' && !r[2].startsWith('stopped')) expect(Number(r[2]), String(r[1])).toBeLessThan(1);
    expectDrawable(result);
  });
});
