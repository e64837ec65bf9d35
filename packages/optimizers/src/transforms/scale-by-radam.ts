import { type PyTree, add, div, mul, sqrt, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { positiveOpt, unitOpt } from '../validate.js';
import { ema, emaSquare } from './moments.js';

export interface ScaleByRadamOptions {
  /** Decay of the first moment; default 0.9. */
  b1?: number;
  /** Decay of the second moment; default 0.999. */
  b2?: number;
  /** Added to √ν; default 1e-8. */
  eps?: number;
}

export type RadamScaleState = { count: number; mu: PyTree; nu: PyTree };

/**
 * Rectified Adam's direction (Liu et al., as torch): m̂ = μ/(1 − b1ᵗ) while the variance rectifier
 * is undefined (ρₜ ≤ 5), then m̂·rₜ·√(1 − b2ᵗ)/(√ν + eps).
 */
export function scaleByRadam(options: ScaleByRadamOptions = {}): GradientTransformation<RadamScaleState> {
  const { b1, b2, eps } = checkOptions('scaleByRadam', options, { b1: unitOpt().default(0.9), b2: unitOpt().default(0.999), eps: positiveOpt().default(1e-8) });
  const rhoInf = 2 / (1 - b2) - 1;
  return {
    init: (params) => ({ count: 0, mu: treeZerosLike(params) as PyTree, nu: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const step = state.count + 1;
      const bc1 = 1 - b1 ** step;
      const bc2 = 1 - b2 ** step;
      const rhoT = rhoInf - (2 * step * b2 ** step) / bc2;
      const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
      const r = perLeaf('scaleByRadam', { g: grads, mu: state.mu, nu: state.nu }, ({ g, mu, nu }) => {
        const mu2 = ema(mu, g, b1);
        const nu2 = emaSquare(nu, g, b2);
        const mHat = div(mu2, bc1);
        const u = rhoT > 5 ? mul(mul(mHat, div(Math.sqrt(bc2), add(sqrt(nu2), eps))), rect) : mHat;
        return { u, mu: mu2, nu: nu2 };
      });
      return { updates: r.u, state: { count: step, mu: r.mu, nu: r.nu } };
    },
  };
}
