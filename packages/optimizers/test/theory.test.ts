import { type Tensor, matmul, mul, outer, sub, sum, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { sgd } from '../src/index.js';
import { trajectory } from './helpers.js';

// f(x) = ½ xᵀHx with H = Q·diag(λ)·Q, Q = I − 2vvᵀ/‖v‖² a Householder reflection: eigenvalues known exactly.
function quadratic(eigenvalues: number[]) {
  const n = eigenvalues.length;
  const v = tensor(
    Array.from({ length: n }, (_, i) => 1 + 0.3 * i),
    { dtype: 'float64' },
  );
  const vv = sum(mul(v, v)).item();
  const eye = tensor(
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))),
    { dtype: 'float64' },
  );
  const Q = sub(eye, mul(outer(v, v), 2 / vv));
  const D = tensor(
    eigenvalues.map((l, i) => eigenvalues.map((_, j) => (i === j ? l : 0))),
    { dtype: 'float64' },
  );
  const H = matmul(matmul(Q, D), Q);
  const x0 = tensor(
    Array.from({ length: n }, (_, i) => Math.cos(i + 1)),
    { dtype: 'float64' },
  );
  const grad = (x: Tensor) => matmul(H, x);
  const norm = (x: Tensor) => Math.sqrt(sum(mul(x, x)).item());
  return { x0, grad, norm };
}

describe('gradient descent on a quadratic with Hessian eigenvalues in [m, M]', () => {
  const lambdas = [0.5, 1, 3, 10];
  const M = 10;
  const { x0, grad, norm } = quadratic(lambdas);

  it('converges for α < 2/M at the rate max|1 − αλ|', () => {
    const alpha = 1.9 / M;
    const xs = trajectory(sgd({ lr: alpha }), x0, grad, 300);
    expect(norm(xs[299]!)).toBeLessThan(1e-6 * norm(x0));
    const rate = (norm(xs[299]!) / norm(xs[199]!)) ** (1 / 100);
    const predicted = Math.max(...lambdas.map((l) => Math.abs(1 - alpha * l)));
    expect(Math.abs(rate - predicted)).toBeLessThan(1e-3);
  });

  it('diverges for α > 2/M (the top eigendirection grows by |1 − αM| > 1 per step)', () => {
    const alpha = 2.1 / M;
    const xs = trajectory(sgd({ lr: alpha }), x0, grad, 300);
    expect(norm(xs[299]!)).toBeGreaterThan(1e3 * norm(x0));
    const rate = (norm(xs[299]!) / norm(xs[199]!)) ** (1 / 100);
    expect(rate).toBeCloseTo(Math.abs(1 - alpha * M), 6);
  });
});

describe('heavy ball (torch SGD momentum) with the optimal (α, β)', () => {
  it('contracts at (√κ − 1)/(√κ + 1), beating GD at its best, (κ − 1)/(κ + 1)', () => {
    const m = 1;
    const M = 100;
    const { x0, grad, norm } = quadratic([m, 4, 25, M]);
    const alpha = 4 / (Math.sqrt(M) + Math.sqrt(m)) ** 2;
    const rho = (Math.sqrt(M / m) - 1) / (Math.sqrt(M / m) + 1);
    const xs = trajectory(sgd({ lr: alpha, momentum: rho * rho }), x0, grad, 300);
    // With the optimal pair both extreme eigenvalues sit on a double root, so ‖xₖ‖ ~ k·ρᵏ: the
    // k factor adds (300/200)^(1/100) ≈ 1.004 to the measured rate.
    const rate = (norm(xs[299]!) / norm(xs[199]!)) ** (1 / 100);
    expect(rate).toBeGreaterThan(rho * 0.999);
    expect(rate).toBeLessThan(rho * 1.01);
    const gd = trajectory(sgd({ lr: 2 / (M + m) }), x0, grad, 300);
    const gdRate = (norm(gd[299]!) / norm(gd[199]!)) ** (1 / 100);
    expect(gdRate).toBeCloseTo((M / m - 1) / (M / m + 1), 4);
    expect(rate).toBeLessThan(gdRate);
  });
});
