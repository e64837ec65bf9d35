import { type PyTree, add, div, mul, sqrt, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { positiveOpt, unitOpt } from '../validate.js';
import { emaSquare } from './moments.js';

export interface ScaleByAdadeltaOptions {
  /** Weight of the previous averages; default 0.9. */
  rho?: number;
  /** Added inside both roots; default 1e-6. */
  eps?: number;
}

export type AdadeltaScaleState = { squareAvg: PyTree; accDelta: PyTree };

/** Zeiler's AdaDelta direction √(E[Δ²] + eps)/√(E[g²] + eps)·g (unit-consistent; combine with scaleByLearningRate(1)). */
export function scaleByAdadelta(options: ScaleByAdadeltaOptions = {}): GradientTransformation<AdadeltaScaleState> {
  const { rho, eps } = checkOptions('scaleByAdadelta', options, { rho: unitOpt().default(0.9), eps: positiveOpt().default(1e-6) });
  return {
    init: (params) => ({ squareAvg: treeZerosLike(params) as PyTree, accDelta: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('scaleByAdadelta', { g: grads, sq: state.squareAvg, acc: state.accDelta }, ({ g, sq, acc }) => {
        const sq2 = emaSquare(sq, g, rho);
        const delta = mul(div(sqrt(add(acc, eps)), sqrt(add(sq2, eps))), g);
        return { u: delta, sq: sq2, acc: emaSquare(acc, delta, rho) };
      });
      return { updates: r.u, state: { squareAvg: r.sq, accDelta: r.acc } };
    },
  };
}
