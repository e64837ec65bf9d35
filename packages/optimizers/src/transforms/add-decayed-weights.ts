import { add, mul } from '@ddopt/tensor';
import { requireParams } from '../base.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { nonNegativeOpt } from '../validate.js';

/** Adds weightDecay·params to the updates (L2 decay when placed before scaling, decoupled when after). */
export function addDecayedWeights(options: { weightDecay: number }): GradientTransformation<Record<string, never>> {
  const { weightDecay } = checkOptions('addDecayedWeights', options, { weightDecay: nonNegativeOpt().required() }, { hint: (v) => (typeof v === 'number' ? `write addDecayedWeights({ weightDecay: ${v} })` : undefined) });
  return {
    init: () => ({}),
    update(grads, state, params) {
      if (weightDecay === 0) return { updates: grads, state };
      const ps = requireParams('addDecayedWeights', params);
      return { updates: perLeaf('addDecayedWeights', { g: grads, p: ps }, ({ g, p }) => ({ u: add(g, mul(p, weightDecay)) })).u, state };
    },
  };
}
