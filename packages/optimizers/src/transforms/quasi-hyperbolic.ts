import { type PyTree, add, mul, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { closedUnitOpt, unitOpt } from '../validate.js';
import { ema } from './moments.js';

export type QuasiHyperbolicState = { ema: PyTree };

/** QHM's direction ν·mₜ + (1 − ν)·gₜ with mₜ = β·mₜ₋₁ + (1 − β)·gₜ (Ma & Yarats). */
export function quasiHyperbolic(options: { beta: number; nu: number }): GradientTransformation<QuasiHyperbolicState> {
  const { beta, nu } = checkOptions('quasiHyperbolic', options, { beta: unitOpt().required(), nu: closedUnitOpt().required() });
  return {
    init: (params) => ({ ema: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('quasiHyperbolic', { g: grads, m: state.ema }, ({ g, m }) => {
        const m2 = ema(m, g, beta);
        return { m: m2, u: add(mul(m2, nu), mul(g, 1 - nu)) };
      });
      return { updates: r.u, state: { ema: r.m } };
    },
  };
}
