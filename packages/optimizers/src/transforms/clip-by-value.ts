import { clip as clipOp, treeMap } from '@ddopt/tensor';
import type { Tensor } from '@ddopt/tensor';
import type { GradientTransformation } from '../types.js';
import { positive } from '../validate.js';

/** Clips every update coordinate to [−maxDelta, maxDelta]. */
export function clipByValue(maxDelta: number): GradientTransformation<Record<string, never>> {
  positive('clipByValue', 'maxDelta', maxDelta);
  return {
    init: () => ({}),
    update: (grads, state) => ({ updates: treeMap((g: Tensor) => clipOp(g, -maxDelta, maxDelta), grads), state }),
  };
}
