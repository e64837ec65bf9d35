import { type PyTree, sign, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { unitOpt } from '../validate.js';
import { ema } from './moments.js';

export interface ScaleByLionOptions {
  /** Interpolation weight of the direction; default 0.9. */
  b1?: number;
  /** Decay of the momentum; default 0.99. */
  b2?: number;
}

export type LionScaleState = { mu: PyTree };

/** Lion's direction sign(b1·μ + (1 − b1)·g), then μ ← b2·μ + (1 − b2)·g (Chen et al. 2023). */
export function scaleByLion(options: ScaleByLionOptions = {}): GradientTransformation<LionScaleState> {
  const { b1, b2 } = checkOptions('scaleByLion', options, { b1: unitOpt().default(0.9), b2: unitOpt().default(0.99) });
  return {
    init: (params) => ({ mu: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('scaleByLion', { g: grads, mu: state.mu }, ({ g, mu }) => ({ u: sign(ema(mu, g, b1)), mu: ema(mu, g, b2) }));
      return { updates: r.u, state: { mu: r.mu } };
    },
  };
}
