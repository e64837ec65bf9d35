import type { PyTree } from '@ddopt/tensor';
import { add, div, mul, neg, sqrt, treeZerosLike } from '@ddopt/tensor';
import { requireParams } from '../base.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { betaPair, positive } from '../validate.js';
import { type TorchCommon, checkCommon, effectiveGrad, lrAt } from './common.js';

export interface RadamOptions extends Omit<TorchCommon, 'maximize'> {
  betas?: [number, number];
  eps?: number;
}

export type RadamState = { count: number; expAvg: PyTree; expAvgSq: PyTree };

/** torch.optim.RAdam (Liu et al.): SGD-with-momentum steps until the variance rectifier exists (ρₜ > 5), then rectified Adam. */
export function radam(options: RadamOptions = {}): GradientTransformation<RadamState> {
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0 } = options;
  checkCommon('radam', lr, weightDecay);
  const [b1, b2] = betaPair('radam', betas);
  positive('radam', 'eps', eps);
  const rhoInf = 2 / (1 - b2) - 1;
  return {
    init: (params) => ({ count: 0, expAvg: treeZerosLike(params) as PyTree, expAvgSq: treeZerosLike(params) as PyTree }),
    update(grads, state, params) {
      const rate = lrAt('radam', lr, state.count);
      const step = state.count + 1;
      const bc1 = 1 - b1 ** step;
      const bc2 = 1 - b2 ** step;
      const rhoT = rhoInf - (2 * step * b2 ** step) / bc2;
      const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
      const ps = weightDecay !== 0 ? requireParams('radam', params) : grads;
      const r = perLeaf('radam', { g: grads, p: ps, m: state.expAvg, v: state.expAvgSq }, ({ g, p, m, v }) => {
        const d = effectiveGrad(g, p, weightDecay, false);
        const m2 = add(mul(m, b1), mul(d, 1 - b1));
        const v2 = add(mul(v, b2), mul(mul(d, 1 - b2), d));
        const mHat = div(m2, bc1);
        if (rhoT <= 5) return { u: neg(mul(mHat, rate)), m: m2, v: v2 };
        const adaptive = div(Math.sqrt(bc2), add(sqrt(v2), eps));
        return { u: neg(mul(mul(mul(mHat, rate), adaptive), rect)), m: m2, v: v2 };
      });
      return { updates: r.u, state: { count: step, expAvg: r.m, expAvgSq: r.v } };
    },
  };
}
