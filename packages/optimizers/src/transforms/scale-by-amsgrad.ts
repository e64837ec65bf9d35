import { type PyTree, add, div, maximum, sqrt, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { positiveOpt, unitOpt } from '../validate.js';
import { ema, emaSquare } from './moments.js';

export interface ScaleByAmsgradOptions {
  /** Decay of the first moment; default 0.9. */
  b1?: number;
  /** Decay of the second moment; default 0.999. */
  b2?: number;
  /** Added after dividing √ν̃ by √(1 − b2ᵗ); default 1e-8. */
  eps?: number;
}

export type AmsgradScaleState = { count: number; mu: PyTree; nu: PyTree; nuMax: PyTree };

/** AMSGrad's direction: Adam's, with ν replaced by its running maximum ν̃ = max(ν̃, ν) (torch's `amsgrad=True`). */
export function scaleByAmsgrad(options: ScaleByAmsgradOptions = {}): GradientTransformation<AmsgradScaleState> {
  const { b1, b2, eps } = checkOptions('scaleByAmsgrad', options, { b1: unitOpt().default(0.9), b2: unitOpt().default(0.999), eps: positiveOpt().default(1e-8) });
  return {
    init: (params) => ({ count: 0, mu: treeZerosLike(params) as PyTree, nu: treeZerosLike(params) as PyTree, nuMax: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const step = state.count + 1;
      const bc1 = 1 - b1 ** step;
      const bc2Sqrt = Math.sqrt(1 - b2 ** step);
      const r = perLeaf('scaleByAmsgrad', { g: grads, mu: state.mu, nu: state.nu, nuMax: state.nuMax }, ({ g, mu, nu, nuMax }) => {
        const mu2 = ema(mu, g, b1);
        const nu2 = emaSquare(nu, g, b2);
        const nuMax2 = maximum(nuMax, nu2);
        return { u: div(div(mu2, bc1), add(div(sqrt(nuMax2), bc2Sqrt), eps)), mu: mu2, nu: nu2, nuMax: nuMax2 };
      });
      return { updates: r.u, state: { count: step, mu: r.mu, nu: r.nu, nuMax: r.nuMax } };
    },
  };
}
