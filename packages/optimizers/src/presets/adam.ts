import type { PyTree } from '@ddopt/tensor';
import { type Tensor, add, div, maximum, mul, sqrt, sub, treeZerosLike } from '@ddopt/tensor';
import { requireParams } from '../base.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { betaPair, bool, positive } from '../validate.js';
import { type TorchCommon, checkCommon, effectiveGrad, lrAt } from './common.js';

export interface AdamOptions extends TorchCommon {
  betas?: [number, number];
  eps?: number;
  amsgrad?: boolean;
}

export type AdamState = { count: number; expAvg: PyTree; expAvgSq: PyTree; maxExpAvgSq: PyTree };

/** torch.optim.Adam: m̂/(√v̂ + eps) with eps added after dividing √v by √(1 − β₂ᵗ), as torch does. */
export function adam(options: AdamOptions = {}): GradientTransformation<AdamState> {
  return adamFamily('adam', options, 0);
}

/** @internal Adam with coupled (`adam`) or decoupled (`adamw`) weight decay. */
export function adamFamily(where: string, options: AdamOptions, defaultDecay: number): GradientTransformation<AdamState> {
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = defaultDecay, amsgrad = false, maximize = false } = options;
  const decoupled = where === 'adamw';
  checkCommon(where, lr, weightDecay);
  const [b1, b2] = betaPair(where, betas);
  positive(where, 'eps', eps);
  bool(where, 'amsgrad', amsgrad);
  return {
    init: (params) => ({
      count: 0,
      expAvg: treeZerosLike(params) as PyTree,
      expAvgSq: treeZerosLike(params) as PyTree,
      maxExpAvgSq: treeZerosLike(params) as PyTree,
    }),
    update(grads, state, params) {
      const rate = lrAt(where, lr, state.count);
      const step = state.count + 1;
      const stepSize = rate / (1 - b1 ** step);
      const bc2Sqrt = Math.sqrt(1 - b2 ** step);
      const ps = weightDecay !== 0 ? requireParams(where, params) : grads;
      const inputs = { g: grads, p: ps, m: state.expAvg, v: state.expAvgSq, vmax: state.maxExpAvgSq };
      const r = perLeaf(where, inputs, ({ g, p, m, v, vmax }) => {
        const d = decoupled ? effectiveGrad(g, p, 0, maximize) : effectiveGrad(g, p, weightDecay, maximize);
        const m2 = add(mul(m, b1), mul(d, 1 - b1));
        const v2 = add(mul(v, b2), mul(mul(d, 1 - b2), d));
        const vmax2: Tensor = amsgrad ? maximum(vmax, v2) : vmax;
        const denom = add(div(sqrt(amsgrad ? vmax2 : v2), bc2Sqrt), eps);
        let u = div(mul(m2, -stepSize), denom);
        // AdamW shrinks the params first: p·(1 − lr·λ) is p + (−lr·λ)·p.
        if (decoupled && weightDecay !== 0) u = add(sub(mul(p, 1 - rate * weightDecay), p), u);
        return { u, m: m2, v: v2, vmax: vmax2 };
      });
      return { updates: r.u, state: { count: step, expAvg: r.m, expAvgSq: r.v, maxExpAvgSq: r.vmax } };
    },
  };
}
