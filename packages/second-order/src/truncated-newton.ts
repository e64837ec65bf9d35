// The shared core of newtonCg and gaussNewton: Hessian-free optimisation (Martens 2010) — solve
// (B + λI)·p = −g by CG on curvature-vector products only, judge the step by the reduction ratio
// ρ = (f(θ + p) − f(θ)) / q(p) of the undamped quadratic model q(p) = gᵀp + ½pᵀBp, adapt λ
// Levenberg–Marquardt style (ρ < ¼: λ ← 3/2·λ; ρ > ¾: λ ← 2/3·λ), and backtrack (α ← 0.8α) until the
// Armijo condition f(θ + αp) ≤ f(θ) + 10⁻²·α·gᵀp holds.
import type { PyTree, Tensor } from '@ddopt/tensor';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { cgFlat } from './cg.js';
import { assertSplit, ggnOperator } from './ggn.js';
import { hessianOperator } from './hessian-operator.js';
import { Evaluator, type SecondOrderMethod, stepArgs, tidyStep } from './method.js';
import { type FlatOperator, type LinearOperator, flatOperator } from './operator.js';
import { fromFlat, toFlat } from './space.js';
import { axpy, axpyInto, dot, neg } from './vec.js';

/** Options of `newtonCg` and `gaussNewton`. */
export interface TruncatedNewtonOptions {
  /** Initial damping λ of B + λI (default 1). */
  damping?: number;
  /** Adapt λ by the reduction ratio, as Martens (default true). */
  adaptDamping?: boolean;
  /** CG's relative residual tolerance (default 1e-4). */
  cgTol?: number;
  /** Most CG iterations (curvature products) per step (default 50). */
  cgMaxIter?: number;
  /** 'armijo' (default): backtrack from lr until sufficient decrease; 'none': take lr·p. */
  lineSearch?: 'armijo' | 'none';
  /** The first step length tried (default 1, the Newton step). */
  lr?: number;
}

/** State of `newtonCg` and `gaussNewton`. */
export interface TruncatedNewtonState {
  count: number;
  damping: number;
  /** The last step's reduction ratio ρ (NaN before the first step). */
  rho: number;
  /** CG iterations of the last step, and why CG stopped. */
  cgIterations: number;
  cgReason: string;
}

const SPEC = {
  damping: option.number({ min: 0 }).default(1),
  adaptDamping: option.boolean().default(true),
  cgTol: option.number({ above: 0 }).default(1e-4),
  cgMaxIter: option.int(1).default(50),
  lineSearch: option.oneOf(['armijo', 'none'] as const).default('armijo'),
  lr: option.number({ above: 0 }).default(1),
};

const ARMIJO_C = 1e-2;
const SHRINK = 0.8;
const MAX_BACKTRACKS = 20;

/** @internal A truncated-Newton method on the curvature `curvature(f, params)`. */
export function truncatedNewton(where: string, options: TruncatedNewtonOptions | undefined, curvature: (f: (p: any) => Tensor, params: PyTree) => LinearOperator<any>, negative: 'stop' | 'throw'): SecondOrderMethod<TruncatedNewtonState> {
  const o = checkOptions(where, options, SPEC);
  return tidyStep<TruncatedNewtonState>({
    name: where,
    init: (params) => {
      stepArgs(where, () => undefined, params, {});
      return { count: 0, damping: o.damping, rho: Number.NaN, cgIterations: 0, cgReason: 'none' };
    },
    step(f, params, state) {
      const space = stepArgs(where, f, params, state);
      const ev = new Evaluator(where, f, space);
      const x = toFlat(space, where, 'params', params);
      const [loss, g] = ev.valueAndGrad(x);
      const lambda = state.damping;
      const b: FlatOperator = flatOperator(where, curvature(f, params));
      const damped: FlatOperator = {
        space,
        name: `${b.name} + ${lambda}·I`,
        products: 0,
        apply: (v) => (lambda === 0 ? b.apply(v) : axpy(b.apply(v), lambda, v)),
      };
      const sol = cgFlat(where, damped, neg(g), { tol: o.cgTol, maxIter: o.cgMaxIter, onNegativeCurvature: negative, x0: undefined });
      let p = sol.x;
      // pᵀ(B + λI)p from CG's residual r = −g − (B + λI)p, so the model costs no extra product
      let pBp = dot(p, axpy(neg(g), -1, sol.r)) - lambda * dot(p, p);
      if (sol.iterations === 0) {
        // negative curvature along −g itself (Nocedal & Wright, alg. 7.1): steepest descent
        p = neg(g);
        pBp = dot(p, b.apply(p));
      }
      const gp = dot(g, p);
      let alpha = o.lr;
      let fNew = ev.value(axpy(x, alpha, p));
      const model = alpha * gp + 0.5 * alpha * alpha * pBp;
      const rho = (fNew - loss) / model;
      if (o.lineSearch === 'armijo') {
        let tries = 1;
        while (!(fNew <= loss + ARMIJO_C * alpha * gp) && tries < MAX_BACKTRACKS) {
          alpha *= SHRINK;
          fNew = ev.value(axpy(x, alpha, p));
          tries++;
        }
        if (!(fNew <= loss + ARMIJO_C * alpha * gp)) alpha = 0;
      }
      let damping = lambda;
      if (o.adaptDamping) {
        if (!(rho >= 0.25)) damping = lambda === 0 ? 0 : lambda * 1.5;
        else if (rho > 0.75) damping = lambda * (2 / 3);
      }
      ev.cost.products += b.products;
      const next = alpha === 0 ? x : axpyInto(Float64Array.from(x), alpha, p);
      return {
        params: alpha === 0 ? params : fromFlat(space, next),
        state: { count: state.count + 1, damping, rho, cgIterations: sol.iterations, cgReason: sol.reason },
        loss,
        cost: ev.cost,
      };
    },
  });
}

/**
 * Newton-CG / Hessian-free (truncated Newton, Martens 2010): each step solves (H + λI)·p = −∇f by
 * CG on Hessian-vector products, stopping CG at negative curvature (steepest descent if that is
 * the first direction), with Martens-style damping and an Armijo backtracking line search.
 */
export function newtonCg(options?: TruncatedNewtonOptions): SecondOrderMethod<TruncatedNewtonState> {
  return truncatedNewton('newtonCg', options, (f, params) => hessianOperator(f, params), 'stop');
}

/**
 * Gauss-Newton (the report's eqs. 13–15) as a damped, CG-solved step on `ggnOperator`: the loss must
 * be `splitLoss(net, loss)`. Martens' Hessian-free with the Gauss-Newton curvature.
 */
export function gaussNewton(options?: TruncatedNewtonOptions): SecondOrderMethod<TruncatedNewtonState> {
  return truncatedNewton(
    'gaussNewton',
    options,
    (f, params) => {
      assertSplit('gaussNewton', f);
      return ggnOperator(f.net, f.loss, params);
    },
    'throw',
  );
}
