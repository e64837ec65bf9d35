import type { PyTree } from '@ddopt/tensor';
import { fmtValue } from '@ddopt/tensor/validate';
import { checkMatchesParams } from './base.js';
import type { GradientTransformation, State, UpdateExtra } from './types.js';
import { isTransform } from './validate.js';

/**
 * Composes transforms left to right: each one's updates are the next one's gradients. Every
 * argument must be a GradientTransformation (checked here, not at the first update), and when
 * `update` is given the params, the gradients must match them leaf for leaf.
 */
export function chain(...transforms: GradientTransformation<any>[]): GradientTransformation<State[]> {
  transforms.forEach((t, i) => {
    if (!isTransform(t)) {
      const hint = typeof t === 'function' ? `; did you mean ${(t as { name?: string }).name || 'it'}() (a preset must be called)?` : '';
      throw new TypeError(`chain: transforms[${i}] must be a GradientTransformation ({ init, update }), got ${fmtValue(t)}${hint}`);
    }
  });
  const withEval = transforms.filter((t) => t.evalPoint !== undefined);
  const chained: GradientTransformation<State[]> = {
    init: (params: PyTree) => transforms.map((t) => t.init(params)),
    update(grads: PyTree, state: State[], params?: PyTree, extra?: UpdateExtra) {
      if (!Array.isArray(state) || state.length !== transforms.length) {
        throw new TypeError(`chain: state must be an array of ${transforms.length} states (one per transform), got ${Array.isArray(state) ? state.length : typeof state}`);
      }
      if (params !== undefined) checkMatchesParams('chain', grads, params);
      const next: State[] = [];
      let updates = grads;
      transforms.forEach((t, i) => {
        const r = t.update(updates, state[i], params, extra);
        updates = r.updates;
        next.push(r.state);
      });
      return { updates, state: next };
    },
  };
  if (withEval.length > 0) {
    // Look-ahead points compose in order (in practice one transform in a chain has one).
    chained.evalPoint = (params: PyTree, state: State[]) =>
      transforms.reduce((p, t, i) => (t.evalPoint ? t.evalPoint(p, state[i]) : p), params);
  }
  return chained;
}
