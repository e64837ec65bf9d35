import { mul, sum, treeLeaves, treeMap } from '@ddopt/tensor';
import type { Tensor } from '@ddopt/tensor';
import type { GradientTransformation } from '../types.js';
import { positive } from '../validate.js';

/** Rescales all updates together so their global L2 norm is at most maxNorm. */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<Record<string, never>> {
  positive('clipByGlobalNorm', 'maxNorm', maxNorm);
  return {
    init: () => ({}),
    update(grads, state) {
      let sq = 0;
      for (const g of treeLeaves(grads) as Tensor[]) sq += sum(mul(g, g)).item();
      const norm = Math.sqrt(sq);
      if (!(norm > maxNorm)) return { updates: grads, state };
      const scale = maxNorm / norm;
      return { updates: treeMap((g: Tensor) => mul(g, scale), grads), state };
    },
  };
}
