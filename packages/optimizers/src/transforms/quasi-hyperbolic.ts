import type { PyTree } from '@ddopt/tensor';
import { add, mul, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { closedUnitInterval, unitInterval } from '../validate.js';

export type QuasiHyperbolicState = { ema: PyTree };

/** QHM's direction ν·mₜ + (1 − ν)·gₜ with mₜ = β·mₜ₋₁ + (1 − β)·gₜ (Ma & Yarats). */
export function quasiHyperbolic(options: { beta: number; nu: number }): GradientTransformation<QuasiHyperbolicState> {
  const beta = unitInterval('quasiHyperbolic', 'beta', options.beta);
  const nu = closedUnitInterval('quasiHyperbolic', 'nu', options.nu);
  return {
    init: (params) => ({ ema: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const r = perLeaf('quasiHyperbolic', { g: grads, m: state.ema }, ({ g, m }) => {
        const m2 = add(mul(m, beta), mul(g, 1 - beta));
        return { m: m2, u: add(mul(m2, nu), mul(g, 1 - nu)) };
      });
      return { updates: r.u, state: { ema: r.m } };
    },
  };
}
