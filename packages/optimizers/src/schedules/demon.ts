import type { Schedule } from '../types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { unitOpt } from '../validate.js';
import { onSteps } from './basic.js';

/** DEMON's momentum schedule βₜ = β₀·(1 − t/T) / ((1 − β₀) + β₀·(1 − t/T)), t the step count, 0 from t = T on. */
export function demonDecay(options: { betaInit: number; totalSteps: number }): Schedule {
  const { betaInit: b, totalSteps: T } = checkOptions('demonDecay', options, { betaInit: unitOpt().required(), totalSteps: option.int(1).required() });
  return onSteps('demonDecay', (t) => {
    const r = Math.max(0, 1 - t / T);
    return (b * r) / (1 - b + b * r);
  });
}
