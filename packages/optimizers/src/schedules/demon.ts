import type { Schedule } from '../types.js';
import { assertInt } from '@ddopt/tensor/validate';
import { unitInterval } from '../validate.js';

/** DEMON's momentum schedule βₜ = β₀·(1 − t/T) / ((1 − β₀) + β₀·(1 − t/T)), t the step count, 0 from t = T on. */
export function demonDecay(options: { betaInit: number; totalSteps: number }): Schedule {
  const b = unitInterval('demonDecay', 'betaInit', options.betaInit);
  const T = assertInt('demonDecay', 'totalSteps', options.totalSteps, 1);
  return (t) => {
    const r = Math.max(0, 1 - t / T);
    return (b * r) / (1 - b + b * r);
  };
}
