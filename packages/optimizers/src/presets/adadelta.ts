import type { PyTree } from '@ddopt/tensor';
import { add, div, mul, sqrt, treeZerosLike } from '@ddopt/tensor';
import { requireParams } from '../base.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { positive, unitInterval } from '../validate.js';
import { type TorchCommon, checkCommon, effectiveGrad, lrAt } from './common.js';

export interface AdadeltaOptions extends TorchCommon {
  rho?: number;
  eps?: number;
}

export type AdadeltaState = { count: number; squareAvg: PyTree; accDelta: PyTree };

/** torch.optim.Adadelta: step √(E[Δ²]+eps)/√(E[g²]+eps)·g, both averages with rate rho. */
export function adadelta(options: AdadeltaOptions = {}): GradientTransformation<AdadeltaState> {
  const { lr = 1, rho = 0.9, eps = 1e-6, weightDecay = 0, maximize = false } = options;
  checkCommon('adadelta', lr, weightDecay);
  unitInterval('adadelta', 'rho', rho);
  positive('adadelta', 'eps', eps);
  return {
    init: (params) => ({ count: 0, squareAvg: treeZerosLike(params) as PyTree, accDelta: treeZerosLike(params) as PyTree }),
    update(grads, state, params) {
      const rate = lrAt('adadelta', lr, state.count);
      const ps = weightDecay !== 0 ? requireParams('adadelta', params) : grads;
      const r = perLeaf('adadelta', { g: grads, p: ps, sq: state.squareAvg, acc: state.accDelta }, ({ g, p, sq, acc }) => {
        const d = effectiveGrad(g, p, weightDecay, maximize);
        const sq2 = add(mul(sq, rho), mul(mul(d, 1 - rho), d));
        const std = sqrt(add(sq2, eps));
        const delta = mul(div(sqrt(add(acc, eps)), std), d);
        const acc2 = add(mul(acc, rho), mul(mul(delta, 1 - rho), delta));
        return { u: mul(delta, -rate), sq: sq2, acc: acc2 };
      });
      return { updates: r.u, state: { count: state.count + 1, squareAvg: r.sq, accDelta: r.acc } };
    },
  };
}
