import { type PyTree, abs, add, div, maximum, mul, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { positiveOpt, unitOpt } from '../validate.js';
import { ema } from './moments.js';

export interface ScaleByAdamaxOptions {
  /** Decay of the first moment; default 0.9. */
  b1?: number;
  /** Decay of the infinity norm; default 0.999. */
  b2?: number;
  /** Added to |g| inside the maximum; default 1e-8. */
  eps?: number;
}

export type AdamaxScaleState = { count: number; mu: PyTree; nu: PyTree };

/** Adamax's direction (μ/(1 − b1ᵗ))/ν with the decayed infinity norm ν ← max(b2·ν, |g| + eps) (torch's eps placement). */
export function scaleByAdamax(options: ScaleByAdamaxOptions = {}): GradientTransformation<AdamaxScaleState> {
  const { b1, b2, eps } = checkOptions('scaleByAdamax', options, { b1: unitOpt().default(0.9), b2: unitOpt().default(0.999), eps: positiveOpt().default(1e-8) });
  return {
    init: (params) => ({ count: 0, mu: treeZerosLike(params) as PyTree, nu: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const step = state.count + 1;
      const bc1 = 1 - b1 ** step;
      const r = perLeaf('scaleByAdamax', { g: grads, mu: state.mu, nu: state.nu }, ({ g, mu, nu }) => {
        const mu2 = ema(mu, g, b1);
        const nu2 = maximum(mul(nu, b2), add(abs(g), eps));
        return { u: div(div(mu2, bc1), nu2), mu: mu2, nu: nu2 };
      });
      return { updates: r.u, state: { count: step, mu: r.mu, nu: r.nu } };
    },
  };
}
