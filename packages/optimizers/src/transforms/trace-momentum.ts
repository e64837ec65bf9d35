import type { PyTree } from '@ddopt/tensor';
import { add, mul, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { bool, unitInterval } from '../validate.js';

export type TraceState = { trace: PyTree };

/** Heavy-ball trace m ← decay·m + g (no dampening); with `nesterov` the output is g + decay·m. */
export function traceMomentum(options: { decay: number; nesterov?: boolean }): GradientTransformation<TraceState> {
  const { decay, nesterov = false } = options;
  unitInterval('traceMomentum', 'decay', decay);
  bool('traceMomentum', 'nesterov', nesterov);
  return {
    init: (params) => ({ trace: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('traceMomentum', { g: grads, m: state.trace }, ({ g, m }) => {
        const m2 = add(mul(m, decay), g);
        return { u: nesterov ? add(g, mul(m2, decay)) : m2, m: m2 };
      });
      return { updates: r.u, state: { trace: r.m } };
    },
  };
}
