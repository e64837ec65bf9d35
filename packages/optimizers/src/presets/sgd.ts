import type { PyTree } from '@ddopt/tensor';
import { type Tensor, add, mul, treeZerosLike } from '@ddopt/tensor';
import { requireParams } from '../base.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { bool, nonNegative } from '../validate.js';
import { type TorchCommon, checkCommon, effectiveGrad, lrAt } from './common.js';

export interface SgdOptions extends TorchCommon {
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
}

export type SgdState = { count: number; momentum: PyTree };

/** torch.optim.SGD: heavy-ball momentum whose buffer starts at the first gradient; Nesterov in torch's form. */
export function sgd(options: SgdOptions = {}): GradientTransformation<SgdState> {
  const { lr = 1e-3, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0, maximize = false } = options;
  checkCommon('sgd', lr, weightDecay);
  nonNegative('sgd', 'momentum', momentum);
  nonNegative('sgd', 'dampening', dampening);
  bool('sgd', 'nesterov', nesterov);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new RangeError(`sgd: nesterov needs momentum > 0 and dampening = 0, got momentum ${momentum}, dampening ${dampening}`);
  }
  return {
    init: (params) => ({ count: 0, momentum: treeZerosLike(params) as PyTree }),
    update(grads, state, params) {
      const rate = lrAt('sgd', lr, state.count);
      const ps = weightDecay !== 0 ? requireParams('sgd', params) : grads;
      const r = perLeaf('sgd', { g: grads, p: ps, buf: state.momentum }, ({ g, p, buf }) => {
        let d = effectiveGrad(g, p, weightDecay, maximize);
        let nextBuf: Tensor = buf;
        if (momentum !== 0) {
          // torch starts the buffer at the first (undampened) gradient.
          nextBuf = state.count === 0 ? d : add(mul(buf, momentum), mul(d, 1 - dampening));
          d = nesterov ? add(d, mul(nextBuf, momentum)) : nextBuf;
        }
        return { u: mul(d, -rate), buf: nextBuf };
      });
      return { updates: r.u, state: { count: state.count + 1, momentum: r.buf } };
    },
  };
}
