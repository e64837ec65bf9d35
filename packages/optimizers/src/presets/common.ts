import { valueAt } from '../base.js';
import { addDecayedWeights } from '../transforms/add-decayed-weights.js';
import { scale } from '../transforms/scale.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { GradientTransformation, ScalarOrSchedule } from '../types.js';
import { bool, nonNegative, rateOrSchedule } from '../validate.js';

/** Options every PyTorch-style preset shares. */
export interface TorchCommon {
  /** Learning rate, or a schedule of the step count (0 for the first step). */
  lr?: ScalarOrSchedule;
  /** L2 penalty added to the gradient (coupled weight decay, as in torch). */
  weightDecay?: number;
  /** Ascend instead of descend. */
  maximize?: boolean;
}

/** @internal The keys of TorchCommon, for `knownKeys`. */
export const COMMON_KEYS = { lr: true, weightDecay: true, maximize: true } as const;

/** Validates lr, weightDecay and maximize, naming the preset. */
export function checkCommon(where: string, lr: ScalarOrSchedule, weightDecay: number, maximize = false): void {
  rateOrSchedule(where, 'lr', lr);
  nonNegative(where, 'weightDecay', weightDecay);
  bool(where, 'maximize', maximize);
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
