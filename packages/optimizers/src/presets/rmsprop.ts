import type { PyTree } from '@ddopt/tensor';
import { type Tensor, add, div, mul, sqrt, treeZerosLike } from '@ddopt/tensor';
import { requireParams } from '../base.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { bool, nonNegative, positive, unitInterval } from '../validate.js';
import { type TorchCommon, checkCommon, effectiveGrad, lrAt } from './common.js';

export interface RmspropOptions extends TorchCommon {
  alpha?: number;
  eps?: number;
  momentum?: number;
  centered?: boolean;
}

export type RmspropState = { count: number; squareAvg: PyTree; gradAvg: PyTree; momentum: PyTree };

/** torch.optim.RMSprop: g/(√E[g²] + eps) (centered: √(E[g²] − E[g]²)), optionally with a momentum buffer. */
export function rmsprop(options: RmspropOptions = {}): GradientTransformation<RmspropState> {
  const { lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false, maximize = false } = options;
  checkCommon('rmsprop', lr, weightDecay);
  unitInterval('rmsprop', 'alpha', alpha);
  positive('rmsprop', 'eps', eps);
  nonNegative('rmsprop', 'momentum', momentum);
  bool('rmsprop', 'centered', centered);
  return {
    init: (params) => ({
      count: 0,
      squareAvg: treeZerosLike(params) as PyTree,
      gradAvg: treeZerosLike(params) as PyTree,
      momentum: treeZerosLike(params) as PyTree,
    }),
    update(grads, state, params) {
      const rate = lrAt('rmsprop', lr, state.count);
      const ps = weightDecay !== 0 ? requireParams('rmsprop', params) : grads;
      const inputs = { g: grads, p: ps, sq: state.squareAvg, ga: state.gradAvg, buf: state.momentum };
      const r = perLeaf('rmsprop', inputs, ({ g, p, sq, ga, buf }) => {
        const d = effectiveGrad(g, p, weightDecay, maximize);
        const sq2 = add(mul(sq, alpha), mul(mul(d, 1 - alpha), d));
        let ga2: Tensor = ga;
        let avg: Tensor;
        if (centered) {
          ga2 = add(mul(ga, alpha), mul(d, 1 - alpha));
          avg = sqrt(add(sq2, mul(mul(ga2, -1), ga2)));
        } else {
          avg = sqrt(sq2);
        }
        avg = add(avg, eps);
        if (momentum > 0) {
          const buf2 = add(mul(buf, momentum), div(d, avg));
          return { u: mul(buf2, -rate), sq: sq2, ga: ga2, buf: buf2 };
        }
        return { u: div(mul(d, -rate), avg), sq: sq2, ga: ga2, buf };
      });
      return { updates: r.u, state: { count: state.count + 1, squareAvg: r.sq, gradAvg: r.ga, momentum: r.buf } };
    },
  };
}
