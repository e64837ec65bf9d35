import { type PyTree, add, div, sqrt, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { positiveOpt, unitOpt } from '../validate.js';
import { ema, emaSquare } from './moments.js';

export interface ScaleByAdamOptions {
  /** Decay of the first moment; default 0.9. */
  b1?: number;
  /** Decay of the second moment; default 0.999. */
  b2?: number;
  /** Added after dividing √ν by √(1 − b2ᵗ); default 1e-8. */
  eps?: number;
}

export type AdamScaleState = { count: number; mu: PyTree; nu: PyTree };

/** Adam's direction (μ/(1 − b1ᵗ)) / (√ν/√(1 − b2ᵗ) + eps), with eps placed as torch places it. */
export function scaleByAdam(options: ScaleByAdamOptions = {}): GradientTransformation<AdamScaleState> {
  const { b1, b2, eps } = checkOptions('scaleByAdam', options, { b1: unitOpt().default(0.9), b2: unitOpt().default(0.999), eps: positiveOpt().default(1e-8) });
  return {
    init: (params) => ({ count: 0, mu: treeZerosLike(params) as PyTree, nu: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const step = state.count + 1;
      const bc1 = 1 - b1 ** step;
      const bc2Sqrt = Math.sqrt(1 - b2 ** step);
      const r = perLeaf('scaleByAdam', { g: grads, mu: state.mu, nu: state.nu }, ({ g, mu, nu }) => {
        const mu2 = ema(mu, g, b1);
        const nu2 = emaSquare(nu, g, b2);
        return { u: div(div(mu2, bc1), add(div(sqrt(nu2), bc2Sqrt), eps)), mu: mu2, nu: nu2 };
      });
      return { updates: r.u, state: { count: step, mu: r.mu, nu: r.nu } };
    },
  };
}
