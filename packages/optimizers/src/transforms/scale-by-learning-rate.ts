import { mul, treeMap } from '@ddopt/tensor';
import type { Tensor } from '@ddopt/tensor';
import { valueAt } from '../base.js';
import type { GradientTransformation, ScalarOrSchedule } from '../types.js';
import { checkArg } from '@ddopt/tensor/validate';
import { rateOrScheduleOpt } from '../validate.js';

export type CountState = { count: number };

/** Multiplies the updates by −lr (lr a number or a schedule of the step count), turning a direction into a descent step. */
export function scaleByLearningRate(lr: ScalarOrSchedule): GradientTransformation<CountState> {
  checkArg('scaleByLearningRate', 'lr', rateOrScheduleOpt(), lr);
  return {
    init: () => ({ count: 0 }),
    update(grads, state) {
      const rate = valueAt(lr, state.count);
      return { updates: treeMap((g: Tensor) => mul(g, -rate), grads), state: { count: state.count + 1 } };
    },
  };
}
