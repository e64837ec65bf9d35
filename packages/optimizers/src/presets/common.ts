import { valueAt } from '../base.js';
import { addDecayedWeights } from '../transforms/add-decayed-weights.js';
import { scale } from '../transforms/scale.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { GradientTransformation, ScalarOrSchedule } from '../types.js';
import { option } from '@ddopt/tensor/validate';
import { nonNegative, nonNegativeOpt, rateOrScheduleOpt } from '../validate.js';

/** Options every PyTorch-style preset shares. */
export interface TorchCommon {
  /** Learning rate, or a schedule of the step count (0 for the first step). */
  lr?: ScalarOrSchedule;
  /** L2 penalty added to the gradient (coupled weight decay, as in torch). */
  weightDecay?: number;
  /** Ascend instead of descend. */
  maximize?: boolean;
}

/** @internal The declarations of TorchCommon's options, with a preset's defaults. */
export function torchCommon(lr: number, weightDecay = 0) {
  return { lr: rateOrScheduleOpt().default(lr), weightDecay: nonNegativeOpt().default(weightDecay), maximize: option.boolean().default(false) };
}

/** The gradient torch steps on: negated for `maximize`, then plus weightDecay·param (coupled decay). */
export function torchGradient(weightDecay: number, maximize: boolean): GradientTransformation<any>[] {
  return [...(maximize ? [scale(-1)] : []), addDecayedWeights({ weightDecay })];
}

/** Multiplies by −lr; a schedule's values are checked (≥ 0) at each step naming the preset, and divided by `divisor(count)` when given. */
export function descend(where: string, lr: ScalarOrSchedule, divisor?: (count: number) => number): GradientTransformation<any> {
  if (typeof lr === 'number' && divisor === undefined) return scaleByLearningRate(lr);
  return scaleByLearningRate((count) => nonNegative(where, 'lr (schedule value)', valueAt(lr, count)) / (divisor ? divisor(count) : 1));
}

/** @internal Gives a preset's chain its name (what `stateToJSON` records). */
export function named<S>(name: string, tx: GradientTransformation<S>): GradientTransformation<S> {
  return Object.assign(tx, { name });
}
