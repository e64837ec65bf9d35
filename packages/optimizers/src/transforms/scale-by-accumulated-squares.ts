import { type PyTree, type Tensor, add, div, full, mul, sqrt, treeMap } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { nonNegativeOpt, positiveOpt } from '../validate.js';

export interface ScaleByAccumulatedSquaresOptions {
  /** Added to the root; default 1e-10. */
  eps?: number;
  /** The sum's starting value; default 0. */
  initialAccumulatorValue?: number;
}

export type AccumulatedSquaresState = { sum: PyTree };

/** AdaGrad scaling g/(√Σg² + eps). */
export function scaleByAccumulatedSquares(options: ScaleByAccumulatedSquaresOptions = {}): GradientTransformation<AccumulatedSquaresState> {
  const { eps, initialAccumulatorValue } = checkOptions('scaleByAccumulatedSquares', options, { eps: positiveOpt().default(1e-10), initialAccumulatorValue: nonNegativeOpt().default(0) });
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
