import type { PyTree } from '@ddopt/tensor';
import { abs, add, div, maximum, mul, treeZerosLike } from '@ddopt/tensor';
import { requireParams } from '../base.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { betaPair, positive } from '../validate.js';
import { type TorchCommon, checkCommon, effectiveGrad, lrAt } from './common.js';

export interface AdamaxOptions extends TorchCommon {
  betas?: [number, number];
  eps?: number;
}

export type AdamaxState = { count: number; expAvg: PyTree; expInf: PyTree };

/** torch.optim.Adamax: m/(1 − β₁ᵗ) over the decayed infinity norm max(β₂·u, |g| + eps). */
export function adamax(options: AdamaxOptions = {}): GradientTransformation<AdamaxState> {
  const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, maximize = false } = options;
  checkCommon('adamax', lr, weightDecay);
  const [b1, b2] = betaPair('adamax', betas);
  positive('adamax', 'eps', eps);
  return {
    init: (params) => ({ count: 0, expAvg: treeZerosLike(params) as PyTree, expInf: treeZerosLike(params) as PyTree }),
    update(grads, state, params) {
      const step = state.count + 1;
      const clr = lrAt('adamax', lr, state.count) / (1 - b1 ** step);
      const ps = weightDecay !== 0 ? requireParams('adamax', params) : grads;
      const r = perLeaf('adamax', { g: grads, p: ps, m: state.expAvg, u: state.expInf }, ({ g, p, m, u }) => {
        const d = effectiveGrad(g, p, weightDecay, maximize);
        const m2 = add(mul(m, b1), mul(d, 1 - b1));
        const u2 = maximum(mul(u, b2), add(abs(d), eps));
        return { up: div(mul(m2, -clr), u2), m: m2, u: u2 };
      });
      return { updates: r.up, state: { count: step, expAvg: r.m, expInf: r.u } };
    },
  };
}
