// LiSSA (Agarwal, Bullins & Hazan 2017), the report's recursion (7): with H scaled so that its
// eigenvalues lie in (0, 1], Xⱼ = ∇f + (I − (H + λI)/scale)·Xⱼ₋₁, X₀ = ∇f, gives
// X_S2 = Σ_{i ≤ S2} (I − Ĥ)ⁱ∇f → Ĥ⁻¹∇f (Ĥ = (H + λI)/scale), so (H + λI)⁻¹∇f ≈ X_S2 / scale. S1
// independent recursions (each may draw its own minibatch Hessian) are averaged.
import type { PyTree, Tensor } from '@ddopt/tensor';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { hessianOperator } from './hessian-operator.js';
import { Evaluator, type SecondOrderMethod, stepArgs, tidyStep } from './method.js';
import { flatOperator } from './operator.js';
import { fromFlat, toFlat } from './space.js';
import { allFinite, axpyInto } from './vec.js';

/** Which Hessian term of LiSSA a `hessianSample` call is for. */
export interface LissaDraw {
  /** The step (0 for the first). */
  step: number;
  /** The recursion, 0 … samples − 1. */
  sample: number;
  /** The term, 1 … depth. */
  depth: number;
}

/** Options of `lissa`. */
export interface LissaOptions {
  /** S2, terms of each recursion (default 10). */
  depth?: number;
  /** S1, independent recursions averaged (default 1). */
  samples?: number;
  /** Divides H + λI so its spectrum lies in (0, 1]: at least the largest eigenvalue (required; hessianEigenvalues gives it). */
  scale: number;
  /** λ added to H (default 0). */
  damping?: number;
  /** Step length on the estimate of (H + λI)⁻¹∇f (default 1). */
  lr?: number;
  /** The loss whose Hessian term (step, sample, depth) uses (a minibatch); default the step's own loss. */
  hessianSample?: (draw: LissaDraw) => (params: any) => Tensor;
}

/** State of `lissa`. */
export interface LissaState {
  count: number;
}

const SPEC = {
  depth: option.int(1).default(10),
  samples: option.int(1).default(1),
  scale: option.number({ above: 0 }).required(),
  damping: option.number({ min: 0 }).default(0),
  lr: option.number({ above: 0 }).default(1),
  hessianSample: option.fn<(draw: LissaDraw) => (params: any) => Tensor>(),
};

/** LiSSA: x ← x − lr·(H + λI)⁻¹∇f with the inverse applied by the report's recursion (7), on Hessian-vector products only. */
export function lissa(options: LissaOptions): SecondOrderMethod<LissaState> {
  const where = 'lissa';
  const o = checkOptions(where, options, SPEC);
  return tidyStep<LissaState>({
    name: where,
    init: (params: PyTree) => {
      stepArgs(where, () => undefined, params, {});
      return { count: 0 };
    },
    step(f, params, state) {
      const space = stepArgs(where, f, params, state);
      const ev = new Evaluator(where, f, space);
      const x = toFlat(space, where, 'params', params);
      const [loss, g] = ev.valueAndGrad(x);
      const own = o.hessianSample ? undefined : flatOperator(where, hessianOperator(f, params));
      const sum = new Float64Array(space.size);
      let products = 0;
      for (let i = 0; i < o.samples; i++) {
        let X = Float64Array.from(g);
        for (let j = 1; j <= o.depth; j++) {
          const op = own ?? flatOperator(where, hessianOperator(o.hessianSample!({ step: state.count, sample: i, depth: j }), params));
          const hx = op.apply(X);
          products++;
          const next = Float64Array.from(g);
          for (let k = 0; k < next.length; k++) next[k] = next[k]! + X[k]! - (hx[k]! + o.damping * X[k]!) / o.scale;
          X = next;
          if (!allFinite(X)) throw new RangeError(`lissa: the recursion diverged at term ${j} of sample ${i} (step ${state.count}); scale ${o.scale} must be at least the largest eigenvalue of H + λI (estimate it with hessianEigenvalues)`);
        }
        axpyInto(sum, 1, X);
      }
      ev.cost.products += products;
      const next = axpyInto(Float64Array.from(x), -o.lr / (o.samples * o.scale), sum);
      return { params: fromFlat(space, next), state: { count: state.count + 1 }, loss, cost: ev.cost };
    },
  });
}
