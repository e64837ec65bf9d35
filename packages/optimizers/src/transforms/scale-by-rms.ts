import { add, div, full, mul, sqrt, treeMap } from '@ddopt/tensor';
import type { Tensor, PyTree } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { nonNegative, positive, unitInterval } from '../validate.js';

export type RmsState = { nu: PyTree };

/** RMSProp scaling g/(√ν + eps) with ν ← decay·ν + (1 − decay)·g². */
export function scaleByRms(options: { decay?: number; eps?: number; initialScale?: number } = {}): GradientTransformation<RmsState> {
  const { decay = 0.9, eps = 1e-8, initialScale = 0 } = options;
  unitInterval('scaleByRms', 'decay', decay);
  positive('scaleByRms', 'eps', eps);
  nonNegative('scaleByRms', 'initialScale', initialScale);
  return {
    init: (params) => ({ nu: treeMap((p: Tensor) => full(p.shape, initialScale, p.dtype), params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('scaleByRms', { g: grads, nu: state.nu }, ({ g, nu }) => {
        const nu2 = add(mul(nu, decay), mul(mul(g, 1 - decay), g));
        return { u: div(g, add(sqrt(nu2), eps)), nu: nu2 };
      });
      return { updates: r.u, state: { nu: r.nu } };
    },
  };
}
