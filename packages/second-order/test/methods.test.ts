import { hvp, valueAndGrad } from '@ddopt/autograd';
import { sgd } from '@ddopt/optimizers';
import { type Tensor, matmul, mean, mul, neg, reshape, solve, square, sub, sum, tensor, trace, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { type SecondOrderMethod, firstOrder, gaussNewton, lissa, newtonCg, splitLoss, sqgn, stochasticLbfgs } from '../src/index.js';
import { fixture, flatValues, lbfgsProblem, mlpProblem, relErr } from './fixture.js';

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });
const logreg = lbfgsProblem('logreg');
const logreg0 = () => ({ w: f64([0.1, -0.2, 0.05, 0.3, -0.1]), b: f64([0.05]) });
const minimizer = [...fixture.logregMinimizer.w, ...fixture.logregMinimizer.b];
const gradNorm = (f: (p: any) => Tensor, p: unknown) => Math.sqrt(flatValues(valueAndGrad(f)(p)[1]).reduce((s, x) => s + x * x, 0));

/** Runs `steps` steps; returns the final params and every step's loss and cost. */
function run<S>(opt: SecondOrderMethod<S>, f: (p: any) => Tensor, p0: unknown, steps: number) {
  let params = p0 as any;
  let state = opt.init(params);
  const losses: number[] = [];
  const costs = [];
  for (let i = 0; i < steps; i++) {
    const r = opt.step(f, params, state);
    params = r.params;
    state = r.state;
    losses.push(r.loss);
    costs.push(r.cost);
  }
  return { params, state, losses, costs };
}

/** Matmuls of one f, one valueAndGrad and one hvp of f at p: trace's unit costs. */
function unitCosts(f: (p: any) => Tensor, p: unknown) {
  return {
    evaluation: trace(() => f(p)).counts.matmul ?? 0,
    gradient: trace(() => valueAndGrad(f)(p)).counts.matmul ?? 0,
    product: trace(() => hvp(f, p, p)).counts.matmul ?? 0,
  };
}

describe('newtonCg (Hessian-free)', () => {
  it("reaches torch's minimiser of the L2-regularised logistic regression, with quadratic convergence", () => {
    const { params, losses } = run(newtonCg({ damping: 0, cgTol: 1e-10, cgMaxIter: 20 }), logreg, logreg0(), 7);
    expect(relErr(flatValues(params), minimizer)).toBeLessThan(1e-10);
    expect(Math.abs(losses[6]! - fixture.logregMinimizer.loss)).toBeLessThan(1e-14);
    expect(gradNorm(logreg, params)).toBeLessThan(1e-12);
  });

  it('on a quadratic ½xᵀAx − bᵀx with exact CG and no damping, one step lands on A⁻¹b (closed form)', () => {
    const a = f64([[4, 1, 0], [1, 3, 0.5], [0, 0.5, 2]]);
    const b = f64([1, -2, 0.5]);
    const f = (x: Tensor) => sub(mul(sum(mul(x, reshape(matmul(a, reshape(x, [3, 1])), [3]))), 0.5), sum(mul(b, x)));
    const { params } = run(newtonCg({ damping: 0, adaptDamping: false, cgTol: 1e-14, lineSearch: 'none' }), f, f64([0, 0, 0]), 1);
    expect(relErr(flatValues(params), Array.from(solve(a, reshape(b, [3, 1])).dataSync()))).toBeLessThan(1e-14);
  });

  it('reports its cost in passes, and the trace of a step agrees: gradients·g + evaluations·e + products·h matmuls', () => {
    const p = logreg0();
    const opt = newtonCg();
    const unit = unitCosts(logreg, p);
    const t = trace(() => opt.step(logreg, p, opt.init(p)));
    const c = t.value.cost;
    expect(c.gradients).toBe(1);
    expect(c.products).toBeGreaterThan(0);
    expect(t.counts.matmul).toBe(c.gradients * unit.gradient + c.evaluations * unit.evaluation + c.products * unit.product);
  });

  it('damping adapts by the reduction ratio: ρ > ¾ shrinks it by 2/3', () => {
    const { state } = run(newtonCg({ damping: 1 }), logreg, logreg0(), 1);
    expect(state.rho).toBeGreaterThan(0.75);
    expect(state.damping).toBeCloseTo(2 / 3, 15);
  });

  it('names itself when the loss is not a scalar', () => {
    const opt = newtonCg();
    const p = logreg0();
    expect(() => opt.step((q: typeof p) => q.w, p, opt.init(p))).toThrow(/newtonCg: the loss f\(params\) must return a scalar, got a tensor of shape \[5\]/);
    expect(() => newtonCg({ dampng: 1 } as never)).toThrow(/newtonCg: unknown option "dampng" \(did you mean "damping"\?\)/);
  });
});

describe('gaussNewton on ggnOperator', () => {
  const X = f64([[1, 2], [0.5, -1], [2, 0.3], [-1, 1], [0.2, 0.7]]);
  const y = f64([[1], [0], [2], [-1], [0.5]]);
  const linear = splitLoss((w: Tensor) => matmul(X, w), (o: Tensor) => mul(sum(square(sub(o, y))), 0.5));

  it('on linear least squares G is the Hessian XᵀX: one undamped step is the normal-equations solution', () => {
    const { params } = run(gaussNewton({ damping: 0, adaptDamping: false, cgTol: 1e-14, lineSearch: 'none' }), linear, f64([[0], [0]]), 1);
    const xt = transpose(X);
    const want = solve(matmul(xt, X), matmul(xt, y));
    expect(relErr(flatValues(params), Array.from(want.dataSync()))).toBeLessThan(1e-13);
  });

  it('decreases the loss of the least-squares MLP at every step', () => {
    const { params, net, loss } = mlpProblem('mse');
    const { losses } = run(gaussNewton(), splitLoss(net, loss), params, 8);
    for (let i = 1; i < losses.length; i++) expect(losses[i]!).toBeLessThanOrEqual(losses[i - 1]!);
    expect(losses[7]!).toBeLessThan(0.5 * losses[0]!);
  });

  it('needs splitLoss, and says so; a loss concave in the outputs makes G indefinite, and CG says that', () => {
    const opt = gaussNewton();
    const w = f64([[0.3], [0.2]]);
    expect(() => opt.step((q: Tensor) => sum(q), w, opt.init(w))).toThrow(/gaussNewton: the loss must be made with splitLoss\(net, loss\)/);
    const concave = splitLoss((q: Tensor) => matmul(X, q), (o: Tensor) => neg(sum(square(o))));
    expect(() => opt.step(concave, w, opt.init(w))).toThrow(/gaussNewton: ggnOperator \+ 1·I is not positive definite: the direction of iteration 1 has pᵀAp\/‖p‖² = -\d/);
  });
});

describe('lissa: the report’s recursion (7)', () => {
  it('on a diagonal quadratic one step is x − lr·A⁻¹(I − (I − A/s)^(S2+1))·g, coordinate by coordinate (closed form)', () => {
    const d = [3, 1, 0.5];
    const s = 4;
    const depth = 6;
    const f = (x: Tensor) => mul(sum(mul(f64(d), square(x))), 0.5);
    const x0 = [1, -2, 0.5];
    const { params, costs } = run(lissa({ depth, scale: s, lr: 0.9 }), f, f64(x0), 1);
    const want = x0.map((x, i) => x - (0.9 * (d[i]! * x) * (1 - (1 - d[i]! / s) ** (depth + 1))) / d[i]!);
    expect(relErr(flatValues(params), want)).toBeLessThan(1e-14);
    expect(costs[0]).toEqual({ evaluations: 0, gradients: 1, products: depth });
  });

  it('averages S1 recursions, each on its own Hessian sample, and refuses a scale below ‖H‖ once it diverges', () => {
    const f = (x: Tensor) => mul(sum(square(x)), 0.5);
    const draws: string[] = [];
    const opt = lissa({ depth: 2, samples: 3, scale: 2, hessianSample: ({ step, sample, depth }) => {
        draws.push(`${step}.${sample}.${depth}`);
        return f;
      },
    });
    const x = f64([1, 2]);
    opt.step(f, x, opt.init(x));
    expect(draws).toEqual(['0.0.1', '0.0.2', '0.1.1', '0.1.2', '0.2.1', '0.2.2']);
    const stiff = (v: Tensor) => mul(sum(square(v)), 500);
    const bad = lissa({ depth: 200, scale: 1 });
    expect(() => bad.step(stiff, x, bad.init(x))).toThrow(/lissa: the recursion diverged at term \d+ of sample 0 \(step 0\); scale 1 must be at least the largest eigenvalue/);
    expect(() => lissa({} as never)).toThrow(/lissa: option scale is required/);
  });
});

describe('stochasticLbfgs and sqgn', () => {
  const X = f64([[1, 2, 0], [0.5, -1, 1], [2, 0.3, -0.5], [-1, 1, 2], [0.2, 0.7, 1], [1.5, -0.4, 0.3]]);
  const y = f64([1, 0, 2, -1, 0.5, 1.2]);
  const batchLoss = (idx: number[]) => {
    const xb = f64(idx.map((i) => (X.toArray() as number[][])[i]!));
    const yb = f64(idx.map((i) => (y.toArray() as number[])[i]!));
    return splitLoss((w: Tensor) => reshape(matmul(xb, reshape(w, [3, 1])), [idx.length]), (o: Tensor) => mul(mean(square(sub(o, yb))), 0.5));
  };
  const full = batchLoss([0, 1, 2, 3, 4, 5]);
  const batches = [batchLoss([0, 1]), batchLoss([2, 3]), batchLoss([4, 5])];
  const xt = transpose(X);
  const wStar = Array.from(solve(matmul(xt, X), reshape(matmul(xt, reshape(y, [6, 1])), [3, 1])).dataSync());

  it('curvature pairs are exact on a quadratic: y = A·s (A the Hessian), and the newest pair satisfies the secant equation', () => {
    const a = f64([[3, 1, 0], [1, 2, 0.5], [0, 0.5, 1]]);
    const f = (x: Tensor) => mul(sum(mul(x, reshape(matmul(a, reshape(x, [3, 1])), [3]))), 0.5);
    const { state } = run(stochasticLbfgs({ lr: 0.1, updateEvery: 2, memory: 3 }), f, f64([1, -1, 2]), 8);
    expect(state.pairs.length).toBe(3);
    for (const p of state.pairs) {
      const as = Array.from(matmul(a, reshape(p.s, [3, 1])).dataSync());
      expect(relErr(Array.from(p.y.dataSync()), as)).toBeLessThan(1e-14);
    }
  });

  it('sqgn with SVRG snapshots converges to the least-squares solution from cycling minibatches (closed form), curvature on the full batch', () => {
    const opt = sqgn({ lr: 0.5, updateEvery: 3, memory: 5, fullLoss: full, snapshotEvery: 6, curvatureLoss: () => full });
    let params = f64([0, 0, 0]);
    let state = opt.init(params);
    for (let k = 0; k < 150; k++) {
      const r = opt.step(batches[k % 3]!, params, state);
      params = r.params;
      state = r.state;
    }
    expect(relErr(flatValues(params), wStar)).toBeLessThan(1e-8);
    // Gauss-Newton pairs of least squares are exact Hessian pairs: sᵀy > 0
    expect(state.pairs.every((p) => Array.from(p.s.dataSync()).reduce((s, x, i) => s + x * p.y.dataSync()[i]!, 0) > 0)).toBe(true);
  });

  it('without variance reduction the minibatch noise stays: stochasticLbfgs stalls away from w*, sqgn-with-SVRG does not', () => {
    const plain = stochasticLbfgs({ lr: 0.5, updateEvery: 3, memory: 5, curvatureLoss: () => full });
    let params = f64([0, 0, 0]);
    let state = plain.init(params);
    for (let k = 0; k < 150; k++) {
      const r = plain.step(batches[k % 3]!, params, state);
      params = r.params;
      state = r.state;
    }
    expect(relErr(flatValues(params), wStar)).toBeGreaterThan(1e-4);
  });

  it('a non-finite curvature pair throws, naming the method and the correction', () => {
    const f = (x: Tensor) => mul(sum(square(x)), 0.5);
    const nan = (x: Tensor) => mul(sum(square(x)), Number.NaN);
    const opt = stochasticLbfgs({ lr: 0.1, updateEvery: 1, curvatureLoss: () => nan });
    let x = f64([1, 2]);
    let st = opt.init(x);
    const r = opt.step(f, x, st);
    x = r.params;
    st = r.state;
    expect(() => opt.step(f, x, st)).toThrow(/stochasticLbfgs: the curvature pair of correction 1 is not finite \(sᵀy = NaN\)/);
    expect(() => stochasticLbfgs({} as never)).toThrow(/stochasticLbfgs: option lr is required/);
  });
});

describe('firstOrder: GradientTransformations in the same interface', () => {
  it('firstOrder(sgd({ lr })) takes exactly the gradient step', () => {
    const p = logreg0();
    const r = firstOrder(sgd({ lr: 0.5 })).step(logreg, p, firstOrder(sgd({ lr: 0.5 })).init(p));
    const g = flatValues(valueAndGrad(logreg)(p)[1]);
    expect(flatValues(r.params)).toEqual(flatValues(p).map((x, i) => x - 0.5 * g[i]!));
    expect(r.loss).toBe(logreg(p).item());
    expect(flatValues(p)).toEqual([0.1, -0.2, 0.05, 0.3, -0.1, 0.05]);
  });
});
