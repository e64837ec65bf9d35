import { type PyTree, add, div, mul, sqrt, sub, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { positiveOpt, unitOpt } from '../validate.js';
import { ema, emaSquare } from './moments.js';

export interface ScaleByStddevOptions {
  /** Weight of the previous averages; default 0.9 (torch RMSprop's `alpha`). */
  decay?: number;
  /** Added to the root; default 1e-8. */
  eps?: number;
}

export type StddevState = { mu: PyTree; nu: PyTree };

/** Centered RMSProp scaling g/(√(ν − μ²) + eps), with μ and ν moving averages of g and g². */
export function scaleByStddev(options: ScaleByStddevOptions = {}): GradientTransformation<StddevState> {
  const { decay, eps } = checkOptions('scaleByStddev', options, { decay: unitOpt().default(0.9), eps: positiveOpt().default(1e-8) });
  return {
    init: (params) => ({ mu: treeZerosLike(params) as PyTree, nu: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('scaleByStddev', { g: grads, mu: state.mu, nu: state.nu }, ({ g, mu, nu }) => {
        const nu2 = emaSquare(nu, g, decay);
        const mu2 = ema(mu, g, decay);
        return { u: div(g, add(sqrt(sub(nu2, mul(mu2, mu2))), eps)), mu: mu2, nu: nu2 };
      });
      return { updates: r.u, state: { mu: r.mu, nu: r.nu } };
    },
  };
}
