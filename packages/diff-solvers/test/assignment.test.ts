import { checkGrad, grad } from '@ddopt/autograd';
import { type Tensor, cast, mul, prng, randn, sum, tensor, uniform } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import reference from '../fixtures/reference.json' with { type: 'json' };
import { linearAssignment, relaxedAssignment } from '../src/index.js';

const f64 = (v: number[][]) => tensor(v, { dtype: 'float64' });
const rows = (t: Tensor) => t.toArray() as number[][];

/** Every permutation of 0..n−1. */
function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('linearAssignment (exact, Kuhn–Munkres)', () => {
  it('finds the cheapest of all 720 permutations of a 6×6 cost', () => {
    const C = rows(randn(prng(3), [6, 6], { dtype: 'float64' }));
    const best = Math.min(...permutations(6).map((p) => p.reduce((s, j, i) => s + C[i]![j]!, 0)));
    const X = rows(linearAssignment(f64(C)));
    const cost = X.reduce((s, r, i) => s + r.reduce((t, x, j) => t + x * C[i]![j]!, 0), 0);
    expect(Math.abs(cost - best)).toBeLessThan(1e-12);
    for (const r of X) expect(r.reduce((a, b) => a + b)).toBe(1);
  });

  it.each(reference.linear_assignment.map((c) => [`${c.C.length}×${c.C[0]!.length}`, c] as const))('matches scipy.optimize.linear_sum_assignment on %s', (_s, c) => {
    const X = linearAssignment(f64(c.C));
    expect(rows(X)).toEqual(c.X);
    expect(X.dtype).toBe('float64');
    expect(linearAssignment(cast(f64(c.C), 'float32')).dtype).toBe('float32');
  });

  it('refuses non-finite costs and non-matrices', () => {
    expect(() => linearAssignment(f64([[1, Number.NaN]]))).toThrow(/linearAssignment: C \[1, 2\] has a non-finite entry NaN at flat index 1/);
    expect(() => linearAssignment(tensor([1, 2], { dtype: 'float64' }))).toThrow(/C must be a cost matrix \[n, m\]/);
    expect(() => linearAssignment(tensor([[1]], { dtype: 'int32' }))).toThrow(/C must be a float32 or float64 tensor, got int32/);
  });
});

describe('relaxedAssignment (DMM-Net Algorithm 1)', () => {
  it.each(reference.relaxed_assignment.map((c, i) => [i, c] as const))('case %i matches a NumPy transcription of the printed algorithm', (_i, c) => {
    const X = relaxedAssignment(f64(c.C), { init: f64(c.init), stepSize: c.stepSize, steps: c.steps, projections: c.projections });
    const got = rows(X);
    c.X.forEach((r, i) => {
      r.forEach((want, j) => {
        expect(Math.abs(got[i]![j]! - want)).toBeLessThan(1e-12);
      });
    });
  });

  it("Dykstra's cycles converge to the Euclidean projection onto {X1 = 1, Xᵀ1 ≤ 1, X ≥ 0} (cvxopt's QP)", () => {
    // One gradient step on C = 0 is X¹ = P(init): the projection itself.
    for (const c of reference.polytope_projection) {
      const C = tensor(
        c.Y.map((r) => r.map(() => 0)),
        { dtype: 'float64' },
      );
      const X = rows(relaxedAssignment(C, { init: f64(c.Y), steps: 1, projections: 2000 }));
      c.X.forEach((r, i) => {
        r.forEach((want, j) => {
          expect(Math.abs(X[i]![j]! - want)).toBeLessThan(1e-7);
        });
      });
    }
  });

  it('approaches the Hungarian solution as steps grow, on a cost with a unique optimum', () => {
    const C = randn(prng(11), [5, 8], { dtype: 'float64' });
    const exact = rows(linearAssignment(C));
    const gap = (steps: number) => {
      const X = rows(relaxedAssignment(C, { steps, stepSize: 0.2 }));
      return Math.max(...X.flatMap((r, i) => r.map((x, j) => Math.abs(x - exact[i]![j]!))));
    };
    const [g5, g50, g400] = [gap(5), gap(50), gap(400)];
    expect(g50).toBeLessThan(g5);
    expect(g400).toBeLessThan(g50);
    // Once at the optimal vertex the iterates stay there, so the average's gap falls like 1/steps.
    expect(g400).toBeLessThan(0.05);
    const X = rows(relaxedAssignment(C, { steps: 400, stepSize: 0.2 }));
    X.forEach((r, i) => {
      expect(r.indexOf(Math.max(...r))).toBe(exact[i]!.indexOf(1));
    });
  });

  it('is differentiable by unrolling: gradients in C and init match float64 finite differences', () => {
    const C = randn(prng(12), [3, 4], { dtype: 'float64' });
    const init = uniform(prng(13), [3, 4], { dtype: 'float64' });
    const w = randn(prng(14), [3, 4], { dtype: 'float64' });
    const f = (p: { C: Tensor; init: Tensor }) => sum(mul(relaxedAssignment(p.C, { init: p.init, steps: 6, projections: 5, stepSize: 0.15 }), w));
    const r = checkGrad(f, { C, init }, { eps: 1e-6, rtol: 1e-5, atol: 1e-8 });
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    // Second derivatives too (the ops are differentiable to any order): c ↦ ⟨∂f/∂C(c), w⟩ against its differences.
    const second = checkGrad((c: Tensor) => sum(mul(grad((d: Tensor) => f({ C: d, init }))(c), w)), C, { eps: 1e-5, rtol: 1e-4, atol: 1e-7 });
    expect(second.ok, JSON.stringify(second.worst)).toBe(true);
  });

  it('names bad input', () => {
    const C = randn(prng(1), [4, 3], { dtype: 'float64' });
    expect(() => relaxedAssignment(C)).toThrow(/more rows \(4\) than columns \(3\).*pass Cᵀ/);
    expect(() => relaxedAssignment(f64([[1, 2]]), { steps: 0 })).toThrow(/relaxedAssignment: steps must be an integer ≥ 1, got 0/);
    expect(() => relaxedAssignment(f64([[1, 2]]), { step: 0.1 } as never)).toThrow(/unknown option "step"/);
    expect(() => relaxedAssignment(f64([[1, 2]]), { init: f64([[1, 2, 3]]) })).toThrow(/options.init must have C's shape \[1, 2\], got \[1, 3\]/);
    expect(() => relaxedAssignment(f64([[1, Number.POSITIVE_INFINITY]]))).toThrow(/non-finite entry Infinity/);
  });
});
