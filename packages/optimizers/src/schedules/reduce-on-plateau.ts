import { mul, treeMap } from '@ddopt/tensor';
import type { Tensor } from '@ddopt/tensor';
import type { GradientTransformation } from '../types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { nonNegativeOpt, unitOpt } from '../validate.js';

export interface ReduceOnPlateauOptions {
  /** Multiplies the scale on a plateau (torch's default 0.1). */
  factor?: number;
  /** Steps without improvement tolerated before reducing. */
  patience?: number;
  /** Relative improvement that counts: loss < best·(1 − threshold). */
  threshold?: number;
  /** Steps after a reduction during which bad steps are not counted. */
  cooldown?: number;
  /** The scale never goes below this. */
  minScale?: number;
}

export type ReduceOnPlateauState = { scale: number; best: number; badSteps: number; cooldownCounter: number };

/**
 * Scales the updates by a factor that shrinks when the loss (passed each step as `extra.loss`)
 * stops improving, as torch's ReduceLROnPlateau in 'min' mode with relative threshold. Place
 * it last in a chain; the loss given with a step decides that step's scale.
 */
export function reduceOnPlateau(options: ReduceOnPlateauOptions = {}): GradientTransformation<ReduceOnPlateauState> {
  const { factor, patience, threshold, cooldown, minScale } = checkOptions('reduceOnPlateau', options, {
    factor: unitOpt().default(0.1),
    patience: option.int(0).default(10),
    threshold: nonNegativeOpt().default(1e-4),
    cooldown: option.int(0).default(0),
    minScale: nonNegativeOpt().default(0),
  });
  return {
    init: () => ({ scale: 1, best: Number.POSITIVE_INFINITY, badSteps: 0, cooldownCounter: 0 }),
    update(grads, state, _params, extra) {
      const loss = extra?.loss;
      if (typeof loss !== 'number' || Number.isNaN(loss)) throw new TypeError(`reduceOnPlateau: pass the loss as extra.loss to update, got ${String(loss)}`);
      let { scale, best, badSteps, cooldownCounter } = state;
      if (loss < best * (1 - threshold)) {
        best = loss;
        badSteps = 0;
      } else {
        badSteps += 1;
      }
      if (cooldownCounter > 0) {
        cooldownCounter -= 1;
        badSteps = 0;
      }
      if (badSteps > patience) {
        scale = Math.max(scale * factor, minScale);
        cooldownCounter = cooldown;
        badSteps = 0;
      }
      const s = scale;
      return { updates: treeMap((g: Tensor) => mul(g, s), grads), state: { scale, best, badSteps, cooldownCounter } };
    },
  };
}
