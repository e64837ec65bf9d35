import { type PyTree, add, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';

export type AccumulateState = { sum: PyTree };

/** Running sum of its inputs, output after adding (AdaGrad's ψ when fed squared gradients). */
export function accumulate(): GradientTransformation<AccumulateState> {
  return {
    init: (params) => ({ sum: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('accumulate', { g: grads, s: state.sum }, ({ g, s }) => ({ s: add(s, g) }));
      return { updates: r.s, state: { sum: r.s } };
    },
  };
}
