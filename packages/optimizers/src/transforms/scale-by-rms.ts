import { type PyTree, type Tensor, add, div, full, sqrt, treeMap } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { nonNegativeOpt, positiveOpt, unitOpt } from '../validate.js';
import { emaSquare } from './moments.js';

export interface ScaleByRmsOptions {
  /** Weight of the previous average; default 0.9 (torch RMSprop's `alpha`). */
  decay?: number;
  /** Added to √ν; default 1e-8. */
  eps?: number;
  /** ν₀; default 0. */
  initialScale?: number;
}

export type RmsState = { nu: PyTree };

/** RMSProp scaling g/(√ν + eps) with ν ← decay·ν + (1 − decay)·g². */
export function scaleByRms(options: ScaleByRmsOptions = {}): GradientTransformation<RmsState> {
  const { decay, eps, initialScale } = checkOptions('scaleByRms', options, { decay: unitOpt().default(0.9), eps: positiveOpt().default(1e-8), initialScale: nonNegativeOpt().default(0) });
  return {
    init: (params) => ({ nu: treeMap((p: Tensor) => full(p.shape, initialScale, p.dtype), params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('scaleByRms', { g: grads, nu: state.nu }, ({ g, nu }) => {
        const nu2 = emaSquare(nu, g, decay);
        return { u: div(g, add(sqrt(nu2), eps)), nu: nu2 };
      });
      return { updates: r.u, state: { nu: r.nu } };
    },
  };
}
