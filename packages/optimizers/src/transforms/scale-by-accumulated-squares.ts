import { add, div, full, mul, sqrt, treeMap } from '@ddopt/tensor';
import type { Tensor, PyTree } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { nonNegative, positive } from '../validate.js';

export type AccumulatedSquaresState = { sum: PyTree };

/** AdaGrad scaling g/(√Σg² + eps). */
export function scaleByAccumulatedSquares(options: { eps?: number; initialAccumulatorValue?: number } = {}): GradientTransformation<AccumulatedSquaresState> {
  const { eps = 1e-10, initialAccumulatorValue = 0 } = options;
  positive('scaleByAccumulatedSquares', 'eps', eps);
  nonNegative('scaleByAccumulatedSquares', 'initialAccumulatorValue', initialAccumulatorValue);
  return {
    init: (params) => ({ sum: treeMap((p: Tensor) => full(p.shape, initialAccumulatorValue, p.dtype), params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('scaleByAccumulatedSquares', { g: grads, s: state.sum }, ({ g, s }) => {
        const s2 = add(s, mul(g, g));
        return { u: div(g, add(sqrt(s2), eps)), s: s2 };
      });
      return { updates: r.u, state: { sum: r.s } };
    },
  };
}
