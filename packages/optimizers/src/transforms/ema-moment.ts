import { type PyTree, div, treeZerosLike } from '@ddopt/tensor';
import { valueAt } from '../base.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation, ScalarOrSchedule } from '../types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { unitInterval, unitOpt } from '../validate.js';
import { ema } from './moments.js';

export interface EmaMomentOptions {
  /** β: a number in [0, 1) or a schedule of the step count (DEMON decays it). */
  decay: ScalarOrSchedule;
  /** Divide by 1 − Πβ (1 − βᵗ for a constant β), Adam's bias correction. */
  debias?: boolean;
  /** 'zeros' (m₀ = 0, the uniform framework) or 'firstGradient' (m₁ = g₁, torch SGD's buffer). */
  init?: 'zeros' | 'firstGradient';
}

export type EmaState = { count: number; decayProduct: number; ema: PyTree };

/** Exponential moving average m ← β·m + (1 − β)·x of its inputs, optionally bias-corrected; outputs m. */
export function emaMoment(options: EmaMomentOptions): GradientTransformation<EmaState> {
  const { decay, debias, init } = checkOptions('emaMoment', options, {
    decay: option.anyOf(unitOpt(), option.fn<(count: number) => number>()).required(),
    debias: option.boolean().default(false),
    init: option.oneOf(['zeros', 'firstGradient']).default('zeros'),
  });
  return {
    init: (params) => ({ count: 0, decayProduct: 1, ema: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const beta = unitInterval('emaMoment', 'decay (schedule value)', valueAt(decay, state.count));
      const decayProduct = state.decayProduct * beta;
      const first = init === 'firstGradient' && state.count === 0;
      const r = perLeaf('emaMoment', { g: grads, m: state.ema }, ({ g, m }) => {
        const m2 = first ? g : ema(m, g, beta);
        return { m: m2, u: debias ? div(m2, 1 - decayProduct) : m2 };
      });
      return { updates: r.u, state: { count: state.count + 1, decayProduct, ema: r.m } };
    },
  };
}
