import { type Tensor, add, mul, neg } from '@ddopt/tensor';
import { valueAt } from '../base.js';
import type { ScalarOrSchedule } from '../types.js';
import { nonNegative, rateOrSchedule } from '../validate.js';

/** Options every PyTorch-style preset shares. */
export interface TorchCommon {
  /** Learning rate, or a schedule of the step count (0 for the first step). */
  lr?: ScalarOrSchedule;
  /** L2 penalty added to the gradient (coupled weight decay, as in torch). */
  weightDecay?: number;
  /** Ascend instead of descend. */
  maximize?: boolean;
}

/** Validates lr and weightDecay, naming the preset. */
export function checkCommon(where: string, lr: ScalarOrSchedule, weightDecay: number): void {
  rateOrSchedule(where, 'lr', lr);
  nonNegative(where, 'weightDecay', weightDecay);
}

/** The gradient torch uses: negated for `maximize`, plus weightDecay·param. */
export function effectiveGrad(g: Tensor, p: Tensor | undefined, weightDecay: number, maximize: boolean): Tensor {
  let d = maximize ? neg(g) : g;
  if (weightDecay !== 0) d = add(d, mul(p!, weightDecay));
  return d;
}

/** The learning rate at step `count`, checked to be ≥ 0. */
export function lrAt(where: string, lr: ScalarOrSchedule, count: number): number {
  return nonNegative(where, 'lr (schedule value)', valueAt(lr, count));
}
