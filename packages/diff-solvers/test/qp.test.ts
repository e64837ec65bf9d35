import { checkGrad, grad } from '@ddopt/autograd';
import { type Tensor, add, cast, matmul, mul, prng, randn, stack, sum, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import reference from '../fixtures/reference.json' with { type: 'json' };
import { solveQp } from '../src/index.js';

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });
const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) => {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!), `${what}[${i}]`).toBeLessThan(tol * (1 + Math.abs(want[i]!)));
};

type Case = (typeof reference.qp)[number];
const argsOf = (c: Case) => {
  const eq = c.A.length > 0;
  return [f64(c.Q), f64(c.p), f64(c.G), f64(c.h), eq ? f64(c.A) : null, eq ? f64(c.b) : null] as const;
};

describe('solveQp: primal-dual interior point', () => {
  it.each(reference.qp.map((c, i) => [i, c] as const))('case %i: x, λ, ν match cvxopt.solvers.qp', (_i, c) => {
    const [Q, p, G, h, A, b] = argsOf(c);
    const sol = solveQp(Q, p, G, h, A, b, { details: true });
    close(sol.x.dataSync(), c.x, 1e-7, 'x');
    close(sol.lambda.dataSync(), c.lambda, 1e-6, 'λ');
    close(sol.nu.dataSync(), c.nu, 1e-6, 'ν');
    expect(sol.iterations[0]).toBeLessThan(30);
  });

  it.each(reference.qp.map((c, i) => [i, c] as const))("case %i: the KKT backward equals the active-set equations' vector-Jacobian product", (_i, c) => {
    const [Q, p, G, h, A, b] = argsOf(c);
    const ct = f64(c.cotangent);
    const argnums = A === null ? [0, 1, 2, 3] : [0, 1, 2, 3, 4, 5];
    const f = (...xs: Tensor[]) => sum(mul(solveQp(xs[0]!, xs[1]!, xs[2]!, xs[3]!, xs[4] ?? null, xs[5] ?? null), ct));
    const present = [Q, p, G, h, A, b].filter((t): t is Tensor => t !== null);
    const grads = grad(f, { argnums })(...present) as Tensor[];
    const names = ['Q', 'p', 'G', 'h', 'A', 'b'] as const;
    for (const [i, g] of grads.entries()) close(g.dataSync(), (c.grad[names[i]!] as number[] | number[][]).flat(), 1e-5, `∂ℓ/∂${names[i]}`);
  });

  it('gradients match float64 finite differences of the solver itself (every argument)', () => {
    const c = reference.qp[0]!;
    const [Q, p, G, h, A, b] = argsOf(c);
    const w = f64(c.cotangent);
    const f = (t: { Q: Tensor; p: Tensor; G: Tensor; h: Tensor; A: Tensor; b: Tensor }) => sum(mul(solveQp(t.Q, t.p, t.G, t.h, t.A, t.b), w));
    const r = checkGrad(f, { Q, p, G, h, A: A!, b: b! }, { eps: 1e-6, rtol: 1e-5, atol: 1e-7 });
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  });

  it('batches: a leading batch dimension on some arguments, the others shared; gradients of shared ones sum', () => {
    const c = reference.qp[0]!;
    const [Q, p, G, h, A, b] = argsOf(c);
    const p2 = stack([p, mul(p, -0.5)]);
    const x = solveQp(Q, p2, G, h, A, b);
    expect(x.shape).toEqual([2, 5]);
    const x1 = solveQp(Q, mul(p, -0.5), G, h, A, b).dataSync();
    close(x.dataSync().slice(5), x1, 1e-9, 'second element');
    const w = f64(c.cotangent);
    const gBatched = grad((q: Tensor) => sum(mul(solveQp(q, p2, G, h, A, b), stack([w, w]))))(Q).dataSync();
    const g0 = grad((q: Tensor) => sum(mul(solveQp(q, p, G, h, A, b), w)))(Q).dataSync();
    const g1 = grad((q: Tensor) => sum(mul(solveQp(q, mul(p, -0.5), G, h, A, b), w)))(Q).dataSync();
    close(gBatched, g0.map((v, i) => v + g1[i]!), 1e-8, '∂ℓ/∂Q summed');
    expect(() => solveQp(Q, p2, stack([G, G, G]), h, A, b)).toThrow(/batch sizes disagree: G \[3, 8, 5\] has 3, an earlier argument 2/);
  });

  it('float32 arguments give a float32 x (solved in float64 inside)', () => {
    const c = reference.qp[2]!;
    const args = argsOf(c).map((t) => (t === null ? null : cast(t, 'float32')));
    const x = solveQp(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, args[5]!);
    expect(x.dtype).toBe('float32');
    close(x.dataSync(), c.x, 1e-6, 'x');
  });

  it('an equality-only QP is solved in one Newton step: x = the KKT solution', () => {
    // min ½‖x‖² s.t. x₀ + x₁ + x₂ = 3 has x = (1, 1, 1), ν = −1.
    const sol = solveQp(f64([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), f64([0, 0, 0]), null, null, f64([[1, 1, 1]]), f64([3]), { details: true });
    close(sol.x.dataSync(), [1, 1, 1], 1e-12, 'x');
    close(sol.nu.dataSync(), [-1], 1e-12, 'ν');
  });
});

describe('solveQp: bad input gets an error, never garbage (qpth issue 31)', () => {
  const I2 = f64([
    [1, 0],
    [0, 1],
  ]);
  it('an infeasible QP throws naming the least possible violation', () => {
    // x₀ ≤ −1 and −x₀ ≤ −1 (x₀ ≥ 1) cannot both hold: the least violation max(Gx − h) is 1.
    expect(() => solveQp(I2, f64([0, 0]), f64([[1, 0], [-1, 0]]), f64([-1, -1]), null, null)).toThrow(/solveQp: the QP is infeasible: no x satisfies Gx ≤ h and Ax = b \(the least possible violation max\(Gx − h\) over Ax = b is 1\.000/);
    // Batched: the message names the element.
    const h = stack([f64([1, 1]), f64([-1, -1])]);
    expect(() => solveQp(I2, f64([0, 0]), f64([[1, 0], [-1, 0]]), h, null, null)).toThrow(/infeasible \(batch element 1\)/);
  });

  it('refuses a non-convex Q, disagreeing shapes and dtypes, half a constraint pair, non-finite entries', () => {
    expect(() => solveQp(f64([[1, 0], [0, -1]]), f64([0, 0]), null, null, null, null)).toThrow(/Q is not positive semidefinite/);
    expect(() => solveQp(I2, f64([0, 0, 0]), null, null, null, null)).toThrow(/Q must be \[3, 3\] per problem \(n = 3 from p/);
    expect(() => solveQp(I2, f64([0, 0]), f64([[1, 0, 0]]), f64([1]), null, null)).toThrow(/G must be \[1, 2\] per problem/);
    expect(() => solveQp(I2, f64([0, 0]), f64([[1, 0]]), null, null, null)).toThrow(/G and h must both be tensors or both be null/);
    expect(() => solveQp(I2, cast(f64([0, 0]), 'float32'), null, null, null, null)).toThrow(/p is float32 but Q is float64/);
    expect(() => solveQp(I2, f64([0, Number.NaN]), null, null, null, null)).toThrow(/p \[2\] has a non-finite entry NaN/);
    expect(() => solveQp(I2, f64([0, 0]), null, null, null, null, { maxiter: 3 } as never)).toThrow(/unknown option "maxiter" \(did you mean "maxIter"\?\)/);
  });

  it('dependent equality rows make the KKT system singular: a clear error', () => {
    expect(() => solveQp(I2, f64([0, 0]), null, null, f64([[1, 1], [2, 2]]), f64([1, 3]))).toThrow(/KKT system is singular/);
  });

  it('learns through it: a Q built as LLᵀ + εI receives a symmetric gradient', () => {
    const L = randn(prng(3), [3, 3], { dtype: 'float64' });
    const f = (l: Tensor) => {
      const Q = add(matmul(l, transpose(l)), mul(f64([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), 0.1));
      return sum(solveQp(Q, f64([1, -1, 0.5]), f64([[1, 1, 1]]), f64([0.2]), null, null));
    };
    const r = checkGrad(f, L, { eps: 1e-6, rtol: 1e-5, atol: 1e-8 });
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  });
});
