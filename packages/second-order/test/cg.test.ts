import { type Tensor, eye, matmul, mul, reshape, solve, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { cg, damped, linearOperator, matrixOperator } from '../src/index.js';
import { relErr } from './fixture.js';

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });
const diag = (d: number[]) => mul(eye(d.length, d.length, 'float64'), f64(d));

describe('cg on closed forms', () => {
  it('solves an SPD system to the tolerance asked, against solve()', () => {
    const m = f64([[2, 1, 0, 0.5], [1, 3, 1, 0], [0, 1, 4, 1], [0.5, 0, 1, 5]]);
    const a = matmul(transpose(m), m);
    const b = f64([1, -2, 0.5, 3]);
    const r = cg(matrixOperator(a), b, { tol: 1e-12 });
    expect(r.reason).toBe('converged');
    expect(relErr(Array.from(r.x.dataSync()), Array.from(solve(a, reshape(b, [4, 1])).dataSync()))).toBeLessThan(1e-10);
    expect(r.residuals).toHaveLength(r.iterations + 1);
    expect(r.residuals[r.iterations]!).toBeLessThanOrEqual(1e-12 * Math.hypot(1, -2, 0.5, 3));
    expect(r.products).toBe(r.iterations);
  });

  it('with three distinct eigenvalues CG converges in three iterations (its Krylov space has dimension 3)', () => {
    const d = [1, 2, 3, 1, 2, 3, 3, 1];
    const b = f64([1, 2, 3, 4, 5, 6, 7, 8]);
    const r = cg(matrixOperator(diag(d)), b, { tol: 1e-13 });
    expect(r.iterations).toBe(3);
    expect(relErr(Array.from(r.x.dataSync()), [1, 2, 3, 4, 5, 6, 7, 8].map((x, i) => x / d[i]!))).toBeLessThan(1e-14);
  });

  it('the exact inverse as preconditioner M converges in one iteration; x0 = solution in none', () => {
    const d = [4, 0.5, 9, 2];
    const b = f64([1, 1, 1, 1]);
    const inv = matrixOperator(diag(d.map((x) => 1 / x)));
    const r = cg(matrixOperator(diag(d)), b, { M: inv, tol: 1e-14 });
    expect(r.iterations).toBe(1);
    const byFunction = cg(matrixOperator(diag(d)), b, { M: (v: Tensor) => mul(v, f64(d.map((x) => 1 / x))), tol: 1e-14 });
    expect(byFunction.iterations).toBe(1);
    const warm = cg(matrixOperator(diag(d)), b, { x0: f64(d.map((x) => 1 / x)) });
    expect(warm.iterations).toBe(0);
    expect(warm.products).toBe(1);
  });

  it('an indefinite operator: throws naming cg and the curvature found, or stops on request', () => {
    const a = matrixOperator(diag([1, -1]));
    const b = f64([1, 1]);
    expect(() => cg(a, b)).toThrow(/cg: matrixOperator is not positive definite: the direction of iteration 1 has pᵀAp\/‖p‖² = 0 ≤ 0/);
    expect(() => cg(damped(matrixOperator(diag([1, -4])), 1), b)).toThrow(/cg: damped\(matrixOperator, 1\) is not positive definite: the direction of iteration 1 has pᵀAp\/‖p‖² = -0.5 ≤ 0/);
    const r = cg(matrixOperator(diag([1, -3])), b, { onNegativeCurvature: 'stop' });
    expect(r.reason).toBe('negativeCurvature');
    expect(r.curvature).toBe(-1);
    expect(r.iterations).toBe(0);
  });

  it('refuses a right-hand side of the wrong shape and unknown options', () => {
    const op = matrixOperator(diag([1, 2]));
    expect(() => cg(op, f64([1, 2, 3]))).toThrow(/cg: b has shape \[3\], expected \[2\] as in the params/);
    expect(() => cg(op, f64([1, 2]), { rtol: 1e-3 } as never)).toThrow(/cg: unknown option "rtol"/);
    const bad = linearOperator({ like: f64([0, 0]), apply: (v: Tensor) => mul(v, Number.NaN) });
    expect(() => cg(bad, f64([1, 2]))).toThrow(/cg: linearOperator returned a non-finite product \(pᵀAp = NaN\) at iteration 1/);
  });
});
