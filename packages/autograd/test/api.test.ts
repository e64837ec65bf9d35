import {
  type Tensor,
  add,
  cos,
  exp,
  matmul,
  mul,
  prng,
  prod,
  randn,
  withBindHook,
  sin,
  softplus,
  splitKey,
  square,
  sum,
  tanh,
  tensor,
  treeDot,
} from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { currentLevel } from '../src/levels.js';
import { NoJvpRuleError, customJvp, customVjp, grad, hessian, hvp, jacfwd, jacobian, jacrev, jvp, jvpRules, linearize, stopGradient, valueAndGrad, vhp, vjp, vjpRules } from '../src/index.js';

const f64 = (v: number[] | number[][], shape?: number[]) => tensor(v, { dtype: 'float64', shape });
const arr = (t: unknown) => (t as Tensor).toArray();
const close = (a: unknown, b: unknown, tol = 1e-12) => {
  const x = (a as Tensor).dataSync();
  const y = (b as Tensor).dataSync();
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => {
    expect(Math.abs(v - y[i]!), `entry ${i}: ${v} vs ${y[i]}`).toBeLessThan(tol);
  });
};

describe('grad, valueAndGrad, vjp', () => {
  it('differentiates pytrees and several arguments (closed forms)', () => {
    const f = (p: { w: Tensor; b: Tensor[] }, x: Tensor) => sum(mul(add(mul(p.w, x), p.b[0]!), p.b[1]!));
    const p = { w: f64([1, 2]), b: [f64([3, 4]), f64([5, 6])] };
    const x = f64([7, 8]);
    const [gp, gx] = grad(f, { argnums: [0, 1] })(p, x) as [typeof p, Tensor];
    expect(arr(gp.w)).toEqual([35, 48]); // x ⊙ b1
    expect(arr(gp.b[0])).toEqual([5, 6]);
    expect(arr(gp.b[1])).toEqual([10, 20]); // w ⊙ x + b0
    expect(arr(gx)).toEqual([5, 12]);
    const [value, g] = valueAndGrad(f, { argnums: 1 })(p, x) as [Tensor, Tensor];
    expect(value.item()).toBe(50 + 120);
    expect(arr(g)).toEqual([5, 12]);
  });

  it('hasAux passes aux through', () => {
    const f = (x: Tensor) => [sum(square(x)), { twice: mul(x, 2) }] as const;
    const [[v, aux], g] = valueAndGrad(f, { hasAux: true })(f64([1, 2])) as [[Tensor, { twice: Tensor }], Tensor];
    expect(v.item()).toBe(5);
    expect(arr(aux.twice)).toEqual([2, 4]);
    expect(arr(g)).toEqual([2, 4]);
    const [g2, aux2] = grad(f, { hasAux: true })(f64([3])) as [Tensor, { twice: Tensor }];
    expect(arr(g2)).toEqual([6]);
    expect(arr(aux2.twice)).toEqual([6]);
  });

  it('vjp pulls back a cotangent pytree', () => {
    const a = f64([[1, 2], [3, 4]]);
    const [out, pullback] = vjp((x: Tensor) => ({ y: matmul(a, x) }), f64([[1], [1]]));
    expect(arr(out.y)).toEqual([[3], [7]]);
    const [gx] = pullback({ y: f64([[1], [10]]) });
    expect(arr(gx)).toEqual([[31], [42]]); // Aᵀ·ct
    expect(() => pullback({ y: f64([1, 10]) } as never)).toThrow(/vjp: cotangent\.y is \[2\] float64 but output\.y is \[2, 1\] float64/);
  });

  it('an output that does not depend on the input has a zero gradient', () => {
    const g = grad((_x: Tensor) => sum(f64([1, 2])))(f64([5, 6]));
    expect(arr(g)).toEqual([0, 0]);
  });
});

describe('kinks', () => {
  it('softplus has its true derivative σ(x) everywhere, 1/2 at 0 included', () => {
    const x = f64([-30, -1, 0, 1, 30]);
    const sigma = (v: number) => 1 / (1 + Math.exp(-v));
    close(grad((t: Tensor) => sum(softplus(t)))(x), f64([-30, -1, 0, 1, 30].map(sigma)), 1e-15);
  });
  it('softplus has its true second derivative σ(x)(1 − σ(x)), 1/4 at 0 included (forward over reverse and reverse over reverse)', () => {
    const v = [-30, -1, 0, 1, 30];
    const sigma = (t: number) => 1 / (1 + Math.exp(-t));
    const expected = f64(v.map((t) => v.map((s) => (s === t ? sigma(t) * (1 - sigma(t)) : 0))));
    close(hessian((t: Tensor) => sum(softplus(t)))(f64(v)), expected, 1e-15);
    const d2 = grad((t: Tensor) => sum(grad((u: Tensor) => sum(softplus(u)))(t)))(f64(v));
    close(d2, f64(v.map((t) => sigma(t) * (1 - sigma(t)))), 1e-15);
  });
  it('softplus stays finite where eˣ overflows, in value and derivative', () => {
    const x = f64([-800, 800]);
    close(softplus(x), f64([0, 800]), 1e-15);
    close(grad((t: Tensor) => sum(softplus(t)))(x), f64([0, 1]), 1e-15);
  });
});

describe('prod at zeros', () => {
  // Closed forms for y = x0·x1·x2·x3: ∂y/∂xi = product of the others, ∂²y/∂xi∂xj = product of the remaining two.
  const others = (v: number[], skip: number[]) => v.reduce((p, x, i) => (skip.includes(i) ? p : p * x), 1);
  const gradOf = (v: number[]) => v.map((_, i) => others(v, [i]));
  const hessOf = (v: number[]) => v.map((_, i) => v.map((_, j) => (i === j ? 0 : others(v, [i, j]))));
  const f = (t: Tensor) => prod(t);
  for (const v of [[2, 0, 3, 5], [0, 0, 3, 5], [0, 0, 0, 5], [-1.5, 2, 0.5, 3]]) {
    it(`gradient and Hessian of x0·x1·x2·x3 at [${v}] (reverse, forward, forward over reverse)`, () => {
      close(grad(f)(f64(v)), f64(gradOf(v)), 1e-15);
      close(jacfwd(f)(f64(v)), f64(gradOf(v)), 1e-15);
      close(hessian(f)(f64(v)), f64(hessOf(v)), 1e-15);
      const dir = [1, -2, 0.5, 3];
      const want = hessOf(v).map((row) => row.reduce((s, h, j) => s + h * dir[j]!, 0));
      close(hvp(f, f64(v), f64(dir)), f64(want), 1e-14);
    });
  }
  it('over several axes with keepdims: each group its own zeros', () => {
    const x = f64([0, 2, 3, 4, 1, 2, 0, 0], [2, 2, 2]);
    // prod over axes 1 and 2 of [2, 2, 2]: group 0 = [0, 2, 3, 4] (one zero), group 1 = [1, 2, 0, 0] (two).
    const g = grad((t: Tensor) => sum(mul(prod(t, { axis: [1, 2], keepdims: true }), f64([10, 100], [2, 1, 1]))))(x);
    close(g, f64([240, 0, 0, 0, 0, 0, 0, 0], [2, 2, 2]), 1e-15);
  });
});

describe('errors', () => {
  it('grad of a non-scalar output names the shape', () => {
    expect(() => grad((x: Tensor) => mul(x, 2))(f64([[1, 2]]))).toThrow(/grad: f must return a scalar, got a tensor of shape \[1, 2\]/);
  });
  it('differentiating with respect to an int input throws naming the leaf', () => {
    expect(() => grad((p: { n: Tensor }) => sum(p.n))({ n: tensor([1, 2], { dtype: 'int32' }) })).toThrow(/args\[0\]\.n has dtype int32/);
  });
  it('bad argnums are named', () => {
    expect(() => grad((x: Tensor) => sum(x), { argnums: 2 })(f64([1]))).toThrow(/argnums 2 includes 2, but f was called with 1 argument/);
  });
  it('a customVjp whose bwd returns the wrong structure names the leaf', () => {
    const f = customVjp(
      (p: { a: Tensor; b: Tensor }) => mul(p.a, p.b),
      (p: { a: Tensor; b: Tensor }) => [mul(p.a, p.b), p] as [Tensor, typeof p],
      (p, g) => [{ a: mul(g, p.b) }],
    );
    expect(() => grad((p: { a: Tensor; b: Tensor }) => sum(f(p)))({ a: f64([1]), b: f64([2]) })).toThrow(/cotangent for argument 0 does not match its structure \(at leaf args\[0\]\.b\)/);
  });
  it('a primitive without a rule is named (simulated by removing the rules of exp)', () => {
    const tables = [vjpRules, jvpRules] as unknown as Record<string, unknown>[];
    const saved = tables.map((t) => t.exp);
    for (const t of tables) delete t.exp;
    try {
      expect(() => grad((x: Tensor) => sum(exp(x)))(f64([1]))).toThrow(/primitive "exp" has no VJP rule/);
      expect(() => jvp((x: Tensor) => exp(x), [f64([1])], [f64([1])])).toThrow(NoJvpRuleError);
      expect(() => jvp((x: Tensor) => exp(x), [f64([1])], [f64([1])])).toThrow(/primitive "exp" has no JVP rule/);
    } finally {
      tables.forEach((t, i) => {
        t.exp = saved[i];
      });
    }
  });

  it('composes with a hook pushed before it: that hook sees the kernels, backward pass included', () => {
    const seen: string[] = [];
    const g = withBindHook(
      (p, inputs, attrs, next) => {
        seen.push(p);
        return next(p, inputs, attrs);
      },
      () => grad((x: Tensor) => sum(exp(x)))(f64([0])),
    );
    expect(arr(g)).toEqual([1]);
    expect(seen).toContain('exp');
    expect(seen).toContain('mul'); // the backward pass's g · y
  });

  it('an exception inside f leaves no level or hook behind', () => {
    expect(() =>
      grad((_x: Tensor) => {
        throw new Error('boom');
      })(f64([1])),
    ).toThrow('boom');
    expect(currentLevel()).toBeUndefined();
    expect(arr(grad((x: Tensor) => sum(square(x)))(f64([3])))).toEqual([6]);
  });
});

describe('forward mode, Jacobians, Hessians', () => {
  const key = prng(7);
  const [ka, kx] = splitKey(key, 2) as [ReturnType<typeof prng>, ReturnType<typeof prng>];
  const A = randn(ka, [3, 4], { dtype: 'float64' });
  const x = randn(kx, [4], { dtype: 'float64' });
  const g = (v: Tensor) => tanh(matmul(A, v.rank === 1 ? v : v));
  const mv = (v: Tensor) => sum(mul(A, v), { axis: 1 } as never);

  it('jvp gives true forward-mode tangents (closed form for exp ∘ sin)', () => {
    const t = f64([1, 2, 3, 4]);
    const [y, dy] = jvp((v: Tensor) => exp(sin(v)), [x], [t]);
    close(y, exp(sin(x)));
    close(dy, mul(mul(exp(sin(x)), cos(x)), t));
  });

  it('jacrev, jacfwd and jacobian agree with the closed form of a linear map', () => {
    close(jacobian(mv)(x), A);
    close(jacrev(mv)(x), A);
    close(jacfwd(mv)(x), A);
    const jr = jacrev(g)(x);
    expect(jr.shape).toEqual([3, 4]);
    close(jacfwd(g)(x), jr);
  });

  it('hessian of Σ x³ is diag(6x); hvp and vhp agree with it', () => {
    const cube = (v: Tensor) => sum(mul(mul(v, v), v));
    const h = hessian(cube)(x);
    const xs = x.dataSync();
    const want = Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => (i === j ? 6 * xs[i]! : 0)));
    close(h, f64(want));
    const v = f64([1, -1, 2, 0.5]);
    close(hvp(cube, x, v), matmul(h, v));
    close(vhp(cube, x, v), matmul(h, v));
  });

  it('linearize pushes tangents through the recorded computation, matching jvp', () => {
    const [y, push] = linearize(g, x);
    const t = f64([0.5, -1, 0, 2]);
    close(y, g(x));
    close(push(t), jvp(g, [x], [t])[1]);
  });
});

describe('levels do not confuse perturbations', () => {
  it('d/dx [x · d/dy (x + y)] = 1 (a naive tape gives 2)', () => {
    const f = (x: Tensor) => mul(x, grad((y: Tensor) => sum(add(x, y)))(f64([1])));
    expect(arr(grad((x: Tensor) => sum(f(x)))(f64([1])))).toEqual([1]);
  });
  it('the same tensor passed to nested grads: d/dx grad_y(x·y)|_{y=x} = 1', () => {
    const inner = (x: Tensor) => grad((y: Tensor) => sum(mul(x, y)))(x) as Tensor;
    expect(arr(grad((x: Tensor) => sum(inner(x)))(f64([3])))).toEqual([1]);
  });
  it('forward inside forward: d/dx [x · (d/dy (x·y))] = 2x', () => {
    const f = (x: Tensor) => mul(x, jvp((y: Tensor) => mul(x, y), [f64([2])], [f64([1])])[1]);
    expect(arr(jvp(f, [f64([3])], [f64([1])])[1])).toEqual([6]);
  });
});

describe('third order', () => {
  it('d/dx of H(x)·v for Σ exp(x) is exp(x) ⊙ v ⊙ u (closed form), by forward and reverse', () => {
    const f = (v: Tensor) => sum(exp(v));
    const x0 = f64([0.1, -0.3, 0.7]);
    const v = f64([1, 2, -1]);
    const u = f64([0.5, -1, 3]);
    const want = mul(mul(exp(x0), v), u);
    close(jvp((p: Tensor) => hvp(f, p, v), [x0], [u])[1], want);
    close(grad((p: Tensor) => sum(mul(hvp(f, p, v), u)))(x0), want);
  });

  it('the derivative of an HVP of a tanh network matches finite differences of the HVP', () => {
    const [k1, k2, k3, k4, k5] = splitKey(prng(3), 5) as ReturnType<typeof prng>[];
    const W = randn(k1!, [3, 3], { dtype: 'float64' });
    const f = (p: Tensor) => sum(tanh(matmul(W, tanh(p))));
    const p0 = randn(k2!, [3, 1], { dtype: 'float64' });
    const v = randn(k3!, [3, 1], { dtype: 'float64' });
    const u = randn(k4!, [3, 1], { dtype: 'float64' });
    const w = randn(k5!, [3, 1], { dtype: 'float64' });
    const eps = 1e-5;
    const at = (s: number) => add(p0, mul(u, s));
    const numeric = (sum(mul(hvp(f, at(eps), v), w)).item() - sum(mul(hvp(f, at(-eps), v), w)).item()) / (2 * eps);
    const third = (p: Tensor) => sum(mul(hvp(f, p, v), w));
    const forward = jvp(third, [p0], [u])[1].item();
    const reverse = treeDot(grad(third)(p0), u).item();
    expect(Math.abs(forward - numeric)).toBeLessThan(1e-8);
    expect(Math.abs(reverse - numeric)).toBeLessThan(1e-8);
  });
});

describe('custom rules and stopGradient', () => {
  it('customVjp uses bwd in reverse mode', () => {
    // Straight-through estimator: forward x², backward passes the cotangent unchanged.
    const ste = customVjp(
      (x: Tensor) => mul(x, x),
      (x: Tensor) => [mul(x, x), undefined] as [Tensor, undefined],
      (_r, g: Tensor) => [g],
    );
    expect(arr(grad((x: Tensor) => sum(ste(x)))(f64([3, 4])))).toEqual([1, 1]);
    expect(arr(ste(f64([3])))).toEqual([9]);
  });

  it('hvp through a customVjp is exact when fwd/bwd are differentiable ops (both hvp and vhp)', () => {
    const cube = customVjp(
      (x: Tensor) => mul(mul(x, x), x),
      (x: Tensor) => [mul(mul(x, x), x), x] as [Tensor, Tensor],
      (x: Tensor, g: Tensor) => [mul(g, mul(mul(x, x), 3))],
    );
    const x0 = f64([1, 2]);
    const v = f64([1, 1]);
    expect(arr(hvp((x: Tensor) => sum(cube(x)), x0, v))).toEqual([6, 12]);
    expect(arr(vhp((x: Tensor) => sum(cube(x)), x0, v))).toEqual([6, 12]);
  });

  it('forward mode through a customVjp throws NoJvpRuleError', () => {
    const f = customVjp(
      (x: Tensor) => mul(x, 2),
      (x: Tensor) => [mul(x, 2), undefined] as [Tensor, undefined],
      (_r, g: Tensor) => [mul(g, 2)],
    );
    expect(() => jvp(f, [f64([1])], [f64([1])])).toThrow(NoJvpRuleError);
  });

  it('customJvp uses its rule in forward mode', () => {
    const f = customJvp(
      (x: Tensor) => sin(x),
      ([x]: [Tensor], [t]: [Tensor]) => [sin(x), mul(t, 100)] as [Tensor, Tensor],
    );
    expect(arr(jvp(f, [f64([0.3])], [f64([2])])[1])).toEqual([200]);
  });

  it('stopGradient makes a constant at every level', () => {
    const f = (x: Tensor) => sum(mul(x, stopGradient(x)));
    expect(arr(grad(f)(f64([2, 5])))).toEqual([2, 5]);
    expect(jvp(f, [f64([2])], [f64([1])])[1].item()).toBe(2);
  });
});
