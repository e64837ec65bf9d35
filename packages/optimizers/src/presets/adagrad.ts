import { add, div, full, mul, sqrt, treeMap } from '@ddopt/tensor';
import type { Tensor, PyTree } from '@ddopt/tensor';
import { requireParams } from '../base.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { nonNegative, positive } from '../validate.js';
import { type TorchCommon, checkCommon, effectiveGrad, lrAt } from './common.js';

export interface AdagradOptions extends TorchCommon {
  lrDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}

export type AdagradState = { count: number; sum: PyTree };

/** torch.optim.Adagrad: per-coordinate step lr/(1 + (t−1)·lrDecay) / (√Σg² + eps). */
export function adagrad(options: AdagradOptions = {}): GradientTransformation<AdagradState> {
  const { lr = 1e-2, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10, maximize = false } = options;
  checkCommon('adagrad', lr, weightDecay);
  nonNegative('adagrad', 'lrDecay', lrDecay);
  nonNegative('adagrad', 'initialAccumulatorValue', initialAccumulatorValue);
  positive('adagrad', 'eps', eps);
  return {
    init: (params) => ({
      count: 0,
      sum: treeMap((p: Tensor) => full(p.shape, initialAccumulatorValue, p.dtype), params) as PyTree,
    }),
    update(grads, state, params) {
      const clr = lrAt('adagrad', lr, state.count) / (1 + state.count * lrDecay);
      const ps = weightDecay !== 0 ? requireParams('adagrad', params) : grads;
      const r = perLeaf('adagrad', { g: grads, p: ps, sum: state.sum }, ({ g, p, sum }) => {
        const d = effectiveGrad(g, p, weightDecay, maximize);
        const s = add(sum, mul(d, d));
        const std = add(sqrt(s), eps);
        return { u: div(mul(d, -clr), std), sum: s };
      });
      return { updates: r.u, state: { count: state.count + 1, sum: r.sum } };
    },
  };
}
