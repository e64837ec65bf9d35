import type { PyTree } from '@ddopt/tensor';
import { add, div, mul, sqrt, treeZerosLike } from '@ddopt/tensor';
import { requireParams } from '../base.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { betaPair, nonNegative, positive } from '../validate.js';
import { type TorchCommon, checkCommon, effectiveGrad, lrAt } from './common.js';

export interface NadamOptions extends Omit<TorchCommon, 'maximize'> {
  betas?: [number, number];
  eps?: number;
  momentumDecay?: number;
}

export type NadamState = { count: number; muProduct: number; expAvg: PyTree; expAvgSq: PyTree };

/** torch.optim.NAdam (Dozat): Nesterov-style Adam with the momentum schedule μₜ = β₁(1 − ½·0.96^(t·ψ)). */
export function nadam(options: NadamOptions = {}): GradientTransformation<NadamState> {
  const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, momentumDecay = 4e-3 } = options;
  checkCommon('nadam', lr, weightDecay);
  const [b1, b2] = betaPair('nadam', betas);
  positive('nadam', 'eps', eps);
  nonNegative('nadam', 'momentumDecay', momentumDecay);
  return {
    init: (params) => ({ count: 0, muProduct: 1, expAvg: treeZerosLike(params) as PyTree, expAvgSq: treeZerosLike(params) as PyTree }),
    update(grads, state, params) {
      const rate = lrAt('nadam', lr, state.count);
      const step = state.count + 1;
      const bc2 = 1 - b2 ** step;
      const mu = b1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
      const muProduct = state.muProduct * mu;
      // torch multiplies the already-updated product by μₜ again (kept here for step-for-step equality).
      const muProductNext = muProduct * mu * muNext;
      const cg = (-rate * (1 - mu)) / (1 - muProduct);
      const cm = (-rate * muNext) / (1 - muProductNext);
      const ps = weightDecay !== 0 ? requireParams('nadam', params) : grads;
      const r = perLeaf('nadam', { g: grads, p: ps, m: state.expAvg, v: state.expAvgSq }, ({ g, p, m, v }) => {
        const d = effectiveGrad(g, p, weightDecay, false);
        const m2 = add(mul(m, b1), mul(d, 1 - b1));
        const v2 = add(mul(v, b2), mul(mul(d, 1 - b2), d));
        const denom = add(sqrt(div(v2, bc2)), eps);
        return { u: add(div(mul(d, cg), denom), div(mul(m2, cm), denom)), m: m2, v: v2 };
      });
      return { updates: r.u, state: { count: step, muProduct, expAvg: r.m, expAvgSq: r.v } };
    },
  };
}
