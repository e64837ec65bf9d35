import { type PyTree, type Tensor, add, div, full, sqrt, treeMap } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { knownKeys, nonNegative, positive, unitInterval } from '../validate.js';
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
  knownKeys('scaleByRms', options, { decay: true, eps: true, initialScale: true });
  const { decay = 0.9, eps = 1e-8, initialScale = 0 } = options;
  unitInterval('scaleByRms', 'decay', decay);
  positive('scaleByRms', 'eps', eps);
  nonNegative('scaleByRms', 'initialScale', initialScale);
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
