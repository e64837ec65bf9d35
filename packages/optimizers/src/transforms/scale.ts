import { type Tensor, mul, treeMap } from '@ddopt/tensor';
import type { GradientTransformation } from '../types.js';

/** Multiplies every update by a constant `factor` (`scale(-1)` ascends: torch's `maximize`). */
export function scale(factor: number): GradientTransformation<Record<string, never>> {
  if (typeof factor !== 'number' || !Number.isFinite(factor)) throw new RangeError(`scale: factor must be a finite number, got ${String(factor)}`);
  return {
    init: () => ({}),
    update: (grads, state) => ({ updates: treeMap((g: Tensor) => mul(g, factor), grads), state }),
  };
}
