import type { PyTree } from '@ddopt/tensor';
import { add, div, mul, sqrt, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { positive, unitInterval } from '../validate.js';

export type AdadeltaScaleState = { squareAvg: PyTree; accDelta: PyTree };

/** Zeiler's AdaDelta direction √(E[Δ²] + eps)/√(E[g²] + eps)·g (unit-consistent; combine with scaleByLearningRate(1)). */
export function scaleByAdadelta(options: { rho?: number; eps?: number } = {}): GradientTransformation<AdadeltaScaleState> {
  const { rho = 0.9, eps = 1e-6 } = options;
  unitInterval('scaleByAdadelta', 'rho', rho);
  positive('scaleByAdadelta', 'eps', eps);
  return {
    init: (params) => ({ squareAvg: treeZerosLike(params) as PyTree, accDelta: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('scaleByAdadelta', { g: grads, sq: state.squareAvg, acc: state.accDelta }, ({ g, sq, acc }) => {
        const sq2 = add(mul(sq, rho), mul(mul(g, 1 - rho), g));
        const delta = mul(div(sqrt(add(acc, eps)), sqrt(add(sq2, eps))), g);
        return { u: delta, sq: sq2, acc: add(mul(acc, rho), mul(mul(delta, 1 - rho), delta)) };
      });
      return { updates: r.u, state: { squareAvg: r.sq, accDelta: r.acc } };
    },
  };
}
