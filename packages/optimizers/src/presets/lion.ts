import type { PyTree } from '@ddopt/tensor';
import { add, mul, sign, sub, treeZerosLike } from '@ddopt/tensor';
import { requireParams } from '../base.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { betaPair } from '../validate.js';
import { type TorchCommon, checkCommon, lrAt } from './common.js';

export interface LionOptions extends Omit<TorchCommon, 'maximize'> {
  betas?: [number, number];
}

export type LionState = { count: number; expAvg: PyTree };

/** Lion (Chen et al. 2023): step lr·sign(β₁m + (1 − β₁)g), then m ← β₂m + (1 − β₂)g; decoupled weight decay. */
export function lion(options: LionOptions = {}): GradientTransformation<LionState> {
  const { lr = 1e-4, betas = [0.9, 0.99], weightDecay = 0 } = options;
  checkCommon('lion', lr, weightDecay);
  const [b1, b2] = betaPair('lion', betas);
  return {
    init: (params) => ({ count: 0, expAvg: treeZerosLike(params) as PyTree }),
    update(grads, state, params) {
      const rate = lrAt('lion', lr, state.count);
      const ps = weightDecay !== 0 ? requireParams('lion', params) : grads;
      const r = perLeaf('lion', { g: grads, p: ps, m: state.expAvg }, ({ g, p, m }) => {
        let u = mul(sign(add(mul(m, b1), mul(g, 1 - b1))), -rate);
        if (weightDecay !== 0) u = add(sub(mul(p, 1 - rate * weightDecay), p), u);
        return { u, m: add(mul(m, b2), mul(g, 1 - b2)) };
      });
      return { updates: r.u, state: { count: state.count + 1, expAvg: r.m } };
    },
  };
}
