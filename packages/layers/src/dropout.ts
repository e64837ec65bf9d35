import { bernoulli, mul, where, zerosLike } from '@ddopt/tensor';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { type Module, NO_STATE } from './module.js';
import { checkContext, positionalHint } from './options.js';

/** Options of `Dropout`. */
export interface DropoutLayerOptions {
  /** Probability of zeroing each value in training, in [0, 1). */
  rate: number;
}

/**
 * Inverted dropout: in training each value is zeroed with probability `rate` and the rest are
 * scaled by 1/(1 − rate), drawn from `ctx.key`; at inference it is the identity.
 */
export function Dropout(options: DropoutLayerOptions): Module<Record<string, never>, Record<string, never>> {
  const { rate } = checkOptions('Dropout', options, { rate: option.number({ min: 0, below: 1 }).required() }, { hint: positionalHint('Dropout', 'rate') });
  const name = `Dropout(${rate})`;
  return {
    name,
    init: (_key, inputShape) => ({ params: {}, state: NO_STATE, outputShape: [...inputShape] }),
    apply: (_params, x, ctx) => {
      checkContext(name, ctx);
      if (!ctx?.train || rate === 0) return x;
      if (!ctx.key) throw new TypeError(`${name}: training mode needs ctx.key (a Key from prng/splitKey); nothing is random without one`);
      const keep = bernoulli(ctx.key, 1 - rate, x.shape);
      return where(keep, mul(x, 1 / (1 - rate)), zerosLike(x));
    },
  };
}
