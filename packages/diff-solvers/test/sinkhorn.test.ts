import { checkGrad, grad } from '@ddopt/autograd';
import { type Tensor, add, cast, mul, prng, randn, softmax, sum, tensor, uniform } from '@ddopt/tensor';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { linearAssignment, sinkhorn } from '../src/index.js';

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });

/**
 * The entropic plan between a = (a₁, a₂) and b = (b₁, b₂), Σa = Σb = 1, in closed form: P is
 * [[t, a₁ − t], [b₁ − t, a₂ − b₁ + t]] and optimality makes P₁₁P₂₂ / (P₁₂P₂₁) = κ =
 * exp(−(M₁₁ + M₂₂ − M₁₂ − M₂₁)/ε), a quadratic (1 − κ)t² + (a₂ − b₁ + κ(a₁ + b₁))t − κa₁b₁ = 0.
 */
function plan2x2(a: [number, number], b: [number, number], M: number[][], reg: number): number[][] {
  const kappa = Math.exp(-(M[0]![0]! + M[1]![1]! - M[0]![1]! - M[1]![0]!) / reg);
  const A = 1 - kappa;
  const B = a[1] - b[0] + kappa * (a[0] + b[0]);
  const C = -kappa * a[0] * b[0];
  const lo = Math.max(0, b[0] - a[1]);
  const hi = Math.min(a[0], b[0]);
  const roots = Math.abs(A) < 1e-15 ? [-C / B] : [(-B + Math.sqrt(B * B - 4 * A * C)) / (2 * A), (-B - Math.sqrt(B * B - 4 * A * C)) / (2 * A)];
  const t = roots.find((x) => x > lo && x < hi)!;
  return [
    [t, a[0] - t],
    [b[0] - t, a[1] - b[0] + t],
  ];
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sinkhorn: the plan', () => {
  const a: [number, number] = [0.3, 0.7];
  const b: [number, number] = [0.55, 0.45];
  const M = [
    [0, 1.2],
    [0.7, 0.1],
  ];

  it.each([true, false])('matches the closed-form 2×2 entropic plan (logDomain %s)', (logDomain) => {
    const want = plan2x2(a, b, M, 0.4);
    const r = sinkhorn(f64(a), f64(b), f64(M), { reg: 0.4, tol: 1e-14, logDomain });
    expect(r.converged).toBe(true);
    const got = r.plan.toArray() as number[][];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(Math.abs(got[i]![j]! - want[i]![j]!)).toBeLessThan(1e-12);
    expect(Math.abs(r.cost.item() - (want[0]![0]! * 0 + want[0]![1]! * 1.2 + want[1]![0]! * 0.7 + want[1]![1]! * 0.1))).toBeLessThan(1e-12);
  });

  it('a constant cost gives the independent coupling abᵀ', () => {
    const a3 = softmax(randn(prng(1), [3], { dtype: 'float64' }));
    const b4 = softmax(randn(prng(2), [4], { dtype: 'float64' }));
    const P = sinkhorn(a3, b4, tensor(new Float64Array(12).fill(2.5), { shape: [3, 4], dtype: 'float64' }), { reg: 0.1 }).plan.toArray() as number[][];
    const av = a3.dataSync();
    const bv = b4.dataSync();
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) expect(Math.abs(P[i]![j]! - av[i]! * bv[j]!)).toBeLessThan(1e-12);
  });

  it('approaches the optimal (Hungarian) assignment as reg → 0 on uniform marginals', () => {
    // Small reg converges slowly on this cost (two assignments nearly tie; NumPy's transcription
    // needs as many iterations), so the iterates are compared after a fixed budget.
    const C = randn(prng(3), [5, 5], { dtype: 'float64' });
    const u = f64([0.2, 0.2, 0.2, 0.2, 0.2]);
    const want = linearAssignment(C).dataSync();
    const gap = (reg: number) => {
      const P = sinkhorn(u, u, C, { reg, maxIter: 2000, onNotConverged: 'ignore' }).plan.dataSync();
      return Math.max(...Array.from(P, (p, i) => Math.abs(5 * p - want[i]!)));
    };
    const [g2, g1, g05] = [gap(0.2), gap(0.1), gap(0.05)];
    expect(g1).toBeLessThan(g2);
    expect(g05).toBeLessThan(g1);
    expect(g05).toBeLessThan(0.01);
  });
});

describe('sinkhorn: derivatives', () => {
  it('implicit gradient in M equals finite differences of the closed-form 2×2 plan', () => {
    const a: [number, number] = [0.3, 0.7];
    const b: [number, number] = [0.55, 0.45];
    const M0 = [
      [0, 1.2],
      [0.7, 0.1],
    ];
    const W = [
      [1, -2],
      [0.5, 3],
    ];
    const loss = (M: number[][]) => plan2x2(a, b, M, 0.4).reduce((s, r, i) => s + r.reduce((t, p, j) => t + p * W[i]![j]!, 0), 0);
    const g = grad((M: Tensor) => sum(mul(sinkhorn(f64(a), f64(b), M, { reg: 0.4, tol: 1e-14 }).plan, f64(W))))(f64(M0)).toArray() as number[][];
    const h = 1e-6;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const up = M0.map((r) => [...r]);
        const down = M0.map((r) => [...r]);
        up[i]![j]! += h;
        down[i]![j]! -= h;
        expect(Math.abs(g[i]![j]! - (loss(up) - loss(down)) / (2 * h))).toBeLessThan(1e-8);
      }
    }
  });

  it('implicit gradients in M and in the marginals (through softmax, so Σa stays 1) match float64 finite differences', () => {
    const M = uniform(prng(4), [3, 4], { dtype: 'float64' });
    const ta = randn(prng(5), [3], { dtype: 'float64' });
    const tb = randn(prng(6), [4], { dtype: 'float64' });
    const W = randn(prng(7), [3, 4], { dtype: 'float64' });
    const f = (p: { M: Tensor; ta: Tensor; tb: Tensor }) => {
      const r = sinkhorn(softmax(p.ta), softmax(p.tb), p.M, { reg: 0.3, tol: 1e-14 });
      return add(sum(mul(r.plan, W)), r.cost);
    };
    const r = checkGrad(f, { M, ta, tb }, { eps: 1e-6, rtol: 1e-6, atol: 1e-9 });
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  });

  it('unroll: true differentiates the iterations and agrees with the implicit gradient at convergence', () => {
    const M = uniform(prng(8), [3, 3], { dtype: 'float64' });
    const a = softmax(randn(prng(9), [3], { dtype: 'float64' }));
    const b = softmax(randn(prng(10), [3], { dtype: 'float64' }));
    const W = randn(prng(11), [3, 3], { dtype: 'float64' });
    const gi = grad((m: Tensor) => sum(mul(sinkhorn(a, b, m, { reg: 0.5, tol: 1e-13 }).plan, W)))(M).dataSync();
    const gu = grad((m: Tensor) => sum(mul(sinkhorn(a, b, m, { reg: 0.5, tol: 1e-13, unroll: true }).plan, W)))(M).dataSync();
    gi.forEach((v, i) => {
      expect(Math.abs(v - gu[i]!)).toBeLessThan(1e-9);
    });
  });

  it('float32 in, float32 out (computed in float64 inside)', () => {
    const r = sinkhorn(cast(f64([0.5, 0.5]), 'float32'), cast(f64([0.5, 0.5]), 'float32'), cast(f64([[0, 1], [1, 0]]), 'float32'), { reg: 0.2 });
    expect(r.plan.dtype).toBe('float32');
    expect(grad((m: Tensor) => sinkhorn(cast(f64([0.5, 0.5]), 'float32'), cast(f64([0.5, 0.5]), 'float32'), m, { reg: 0.2 }).cost)(cast(f64([[0, 1], [1, 0]]), 'float32')).dtype).toBe('float32');
  });
});

describe('sinkhorn: bad input and numerical trouble (POT issues 34, 54, 194)', () => {
  const a = f64([0.5, 0.5]);
  const M = f64([
    [0, 100],
    [100, 0],
  ]);
  it('refuses reg ≤ 0, a missing reg, unbalanced or non-positive marginals and disagreeing shapes', () => {
    expect(() => sinkhorn(a, a, M, { reg: 0 })).toThrow(/sinkhorn: reg must be a finite number > 0, got 0/);
    expect(() => sinkhorn(a, a, M, { reg: -1 })).toThrow(/reg must be a finite number > 0, got -1/);
    expect(() => sinkhorn(a, a, M, {} as never)).toThrow(/option reg is required/);
    expect(() => sinkhorn(a, f64([0.5, 0.6]), M, { reg: 1 })).toThrow(/same mass, got Σa = 1 and Σb = 1.1/);
    expect(() => sinkhorn(f64([1, 0]), f64([0.5, 0.5]), M, { reg: 1 })).toThrow(/a must be positive and finite, got 0 at index 1/);
    expect(() => sinkhorn(a, f64([0.3, 0.3, 0.4]), M, { reg: 1 })).toThrow(/shapes disagree: a \[2\], b \[3\] and M \[2, 2\]/);
    expect(() => sinkhorn(a, a, f64([[0, Number.NaN], [1, 0]]), { reg: 1 })).toThrow(/M \[2, 2\] has a non-finite entry NaN/);
  });

  it('names the underflow of exp(−M/reg) in the non-log domain instead of failing at iteration 0', () => {
    const far = f64([
      [800, 900],
      [900, 800],
    ]);
    expect(() => sinkhorn(a, a, far, { reg: 1, logDomain: false })).toThrow(/reg = 1 is too small for logDomain: false: exp\(−M\/reg\) underflows to 0 on all of row 0/);
    // The log domain handles the same problem.
    expect(sinkhorn(a, a, far, { reg: 1 }).converged).toBe(true);
  });

  it('warns (default), throws or stays silent when not converged', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const r = sinkhorn(a, f64([0.3, 0.7]), M, { reg: 1, maxIter: 1, tol: 1e-15 });
    expect(r.converged).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/sinkhorn: not converged after 1 iterations/));
    expect(() => sinkhorn(a, f64([0.3, 0.7]), M, { reg: 1, maxIter: 1, tol: 1e-15, onNotConverged: 'throw' })).toThrow(/not converged after 1 iterations/);
    warn.mockClear();
    sinkhorn(a, f64([0.3, 0.7]), M, { reg: 1, maxIter: 1, tol: 1e-15, onNotConverged: 'ignore' });
    expect(warn).not.toHaveBeenCalled();
  });
});
