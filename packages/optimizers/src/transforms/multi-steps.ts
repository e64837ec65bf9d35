import { type PyTree, add, div, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import { transformOpt } from '../validate.js';
import type { GradientTransformation, State, UpdateExtra } from '../types.js';
import { checkArg, checkOptions, option } from '@ddopt/tensor/validate';

export type MultiStepsState<S extends State> = { miniStep: number; accumulated: PyTree; inner: S };

/** Gradient accumulation: averages `everyK` gradients, then runs `inner` once on the mean; zero updates in between. */
export function multiSteps<S extends State>(inner: GradientTransformation<S>, options: { everyK: number }): GradientTransformation<MultiStepsState<S>> {
  checkArg('multiSteps', 'inner', transformOpt(), inner);
  const { everyK } = checkOptions('multiSteps', options, { everyK: option.int(1).required() }, { hint: (v) => (typeof v === 'number' ? `write multiSteps(inner, { everyK: ${v} })` : undefined) });
  const t: GradientTransformation<MultiStepsState<S>> = {
    init: (params) => ({ miniStep: 0, accumulated: treeZerosLike(params) as PyTree, inner: inner.init(params) }),
    update(grads, state, params?: PyTree, extra?: UpdateExtra) {
      const acc = perLeaf('multiSteps', { g: grads, a: state.accumulated }, ({ g, a }) => ({ a: add(a, g) })).a;
      if (state.miniStep + 1 < everyK) {
        return { updates: treeZerosLike(grads) as PyTree, state: { miniStep: state.miniStep + 1, accumulated: acc, inner: state.inner } };
      }
      const mean = perLeaf('multiSteps', { a: acc }, ({ a }) => ({ m: div(a, everyK) })).m;
      const r = inner.update(mean, state.inner, params, extra);
      return { updates: r.updates, state: { miniStep: 0, accumulated: treeZerosLike(grads) as PyTree, inner: r.state } };
    },
  };
  if (inner.evalPoint) t.evalPoint = (params, state) => inner.evalPoint!(params, state.inner);
  return t;
}
