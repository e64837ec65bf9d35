import { type PyTree, add, div, mul, sqrt, treeZerosLike } from '@ddopt/tensor';
import { valueAt } from './base.js';
import { perLeaf } from './leaves.js';
import type { GradientTransformation, ScalarOrSchedule, State } from './types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { lrHint, nonNegativeOpt, rateOrScheduleOpt, transformOpt } from './validate.js';

/**
 * The uniform framework's ζ: where the gradient of step t is taken, from the current weights and
 * the previous step's moments. `secondMoment` is null when ψ is the identity.
 */
export type Lookahead = (ctx: { params: PyTree; firstMoment: PyTree; secondMoment: PyTree | null; lr: number; eps: number }) => PyTree;

export interface UniformFrameworkOptions {
  /** ζ(w, m, V); omitted: the current weights (no look-ahead). */
  lookahead?: Lookahead;
  /** φ: a transform mapping the gradient gₜ to the first moment mₜ (its state holds the history). */
  firstMoment: GradientTransformation<any>;
  /** ψ: a transform mapping the squared gradient gₜ² to Vₜ; omitted: V = I (no adaptive scaling). */
  secondMoment?: GradientTransformation<any>;
  /** α, a number or a schedule of the step count. */
  lr: ScalarOrSchedule;
  /** Added to √V before dividing (the framework's α/√V is undefined where V = 0); default 1e-8. */
  eps?: number;
}

export type UniformFrameworkState = {
  count: number;
  first: State;
  second: State;
  /** mₜ₋₁ and Vₜ₋₁, what ζ needs at the next step. */
  m: PyTree;
  v: PyTree | null;
};

/**
 * Builds an optimizer from the uniform framework (seed 003, "The use of momentum in stochastic
 * methods", §1.2): gₜ = ∇ℓ(ζ(wₜ, mₜ₋₁, Vₜ₋₁)) (via `evalPoint`), mₜ = φ(g₁..gₜ), Vₜ = ψ(g₁²..gₜ²),
 * wₜ₊₁ = wₜ − α·mₜ/√Vₜ.
 */
export function uniformFramework(options: UniformFrameworkOptions): GradientTransformation<UniformFrameworkState> {
  const { lookahead, firstMoment, secondMoment, lr, eps } = checkOptions(
    'uniformFramework',
    options,
    { lookahead: option.fn<Lookahead>(), firstMoment: transformOpt().required(), secondMoment: transformOpt(), lr: rateOrScheduleOpt().required(), eps: nonNegativeOpt().default(1e-8) },
    { hint: lrHint('uniformFramework') },
  );
  const t: GradientTransformation<UniformFrameworkState> = {
    init: (params) => ({
      count: 0,
      first: firstMoment.init(params),
      second: secondMoment ? secondMoment.init(params) : null,
      m: treeZerosLike(params) as PyTree,
      v: secondMoment ? (treeZerosLike(params) as PyTree) : null,
    }),
    update(grads, state, params, extra) {
      const alpha = valueAt(lr, state.count);
      const f = firstMoment.update(grads, state.first, params, extra);
      let second: State = null;
      let v: PyTree | null = null;
      let updates: PyTree;
      if (secondMoment) {
        const squares = perLeaf('uniformFramework', { g: grads }, ({ g }) => ({ s: mul(g, g) })).s;
        const s = secondMoment.update(squares, state.second, params, extra);
        second = s.state;
        v = s.updates;
        updates = perLeaf('uniformFramework', { m: f.updates, v }, ({ m, v }) => ({ u: div(mul(m, -alpha), add(sqrt(v), eps)) })).u;
      } else {
        updates = perLeaf('uniformFramework', { m: f.updates }, ({ m }) => ({ u: mul(m, -alpha) })).u;
      }
      return { updates, state: { count: state.count + 1, first: f.state, second, m: f.updates, v } };
    },
  };
  if (lookahead) {
    t.evalPoint = (params, state) => lookahead({ params, firstMoment: state.m, secondMoment: state.v, lr: valueAt(lr, state.count), eps });
  }
  return t;
}

/** ζ = w − α·mₜ₋₁ (SGD-NAG, report §2.3). */
export const momentumLookahead: Lookahead = ({ params, firstMoment, lr }) =>
  perLeaf('momentumLookahead', { p: params, m: firstMoment }, ({ p, m }) => ({ z: add(p, mul(m, -lr)) })).z;

/**
 * ζ = w − α·mₜ₋₁/(√Vₜ₋₁ + eps): the previous adaptive step taken again. The report (§3.3) writes
 * the denominator as Vₜ₋₁; `adaptiveLookahead({ power: 1 })` gives that literal form.
 */
export function adaptiveLookahead(options?: { power?: 0.5 | 1 }): Lookahead {
  const { power } = checkOptions('adaptiveLookahead', options, { power: option.oneOf([0.5, 1]).default(0.5) });
  return ({ params, firstMoment, secondMoment, lr, eps }) => {
    if (secondMoment === null) throw new TypeError('adaptiveLookahead: needs a secondMoment (ψ) in uniformFramework({...})');
    return perLeaf('adaptiveLookahead', { p: params, m: firstMoment, v: secondMoment }, ({ p, m, v }) => ({
      z: add(p, div(mul(m, -lr), add(power === 1 ? v : sqrt(v), eps))),
    })).z;
  };
}
