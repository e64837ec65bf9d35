import { type PyTree, add, mul, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { nonNegativeOpt } from '../validate.js';

export interface TraceMomentumOptions {
  /** β, the weight of the previous trace (any finite value ≥ 0, as torch). */
  decay: number;
  /** The output is g + β·m (torch's Nesterov form); needs dampening 0. */
  nesterov?: boolean;
  /** d in m ← β·m + (1 − d)·g; default 0. */
  dampening?: number;
}

export type TraceState = { count: number; trace: PyTree };

/**
 * Heavy-ball trace m₁ = g₁, then m ← β·m + (1 − dampening)·g (torch SGD's momentum buffer; with
 * dampening 0 the same as starting from m₀ = 0); outputs m, or g + β·m with `nesterov`.
 */
export function traceMomentum(options: TraceMomentumOptions): GradientTransformation<TraceState> {
  const { decay, nesterov, dampening } = checkOptions('traceMomentum', options, { decay: nonNegativeOpt().required(), nesterov: option.boolean().default(false), dampening: nonNegativeOpt().default(0) });
  if (nesterov && dampening !== 0) throw new RangeError(`traceMomentum: nesterov needs dampening = 0, got ${dampening}`);
  return {
    init: (params) => ({ count: 0, trace: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('traceMomentum', { g: grads, m: state.trace }, ({ g, m }) => {
        const m2 = state.count === 0 ? g : add(mul(m, decay), mul(g, 1 - dampening));
        return { u: nesterov ? add(g, mul(m2, decay)) : m2, m: m2 };
      });
      return { updates: r.u, state: { count: state.count + 1, trace: r.m } };
    },
  };
}
