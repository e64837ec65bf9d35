import { treeLeaves, treeZerosLike } from '@ddopt/tensor';
import type { PyTree, Tensor } from '@ddopt/tensor';
import { transformOpt } from '../validate.js';
import type { GradientTransformation, State } from '../types.js';
import { checkArg, checkOptions, option } from '@ddopt/tensor/validate';

export type ApplyIfFiniteState<S extends State> = {
  inner: S;
  /** Steps skipped in a row (reset by a finite step). */
  notFiniteCount: number;
  /** Steps skipped in total. */
  totalNotFinite: number;
  lastFinite: boolean;
};

/**
 * Runs `inner` only when every gradient entry is finite; otherwise the updates are zero, the
 * inner state is kept and the skip is counted. After `maxConsecutiveErrors` skips in a row the
 * step goes through anyway (so a persistent NaN surfaces instead of silently freezing training).
 */
export function applyIfFinite<S extends State>(inner: GradientTransformation<S>, options: { maxConsecutiveErrors?: number } = {}): GradientTransformation<ApplyIfFiniteState<S>> {
  checkArg('applyIfFinite', 'inner', transformOpt(), inner);
  const { maxConsecutiveErrors } = checkOptions('applyIfFinite', options, {
    maxConsecutiveErrors: option.anyOf(option.int(0), option.oneOf([Number.POSITIVE_INFINITY])).default(Number.POSITIVE_INFINITY),
  });
  const t: GradientTransformation<ApplyIfFiniteState<S>> = {
    init: (params) => ({ inner: inner.init(params), notFiniteCount: 0, totalNotFinite: 0, lastFinite: true }),
    update(grads, state, params, extra) {
      const finite = (treeLeaves(grads) as Tensor[]).every((g) => g.dataSync().every((x) => Number.isFinite(x)));
      if (!finite && state.notFiniteCount < maxConsecutiveErrors) {
        const next = { inner: state.inner, notFiniteCount: state.notFiniteCount + 1, totalNotFinite: state.totalNotFinite + 1, lastFinite: false };
        return { updates: treeZerosLike(grads) as PyTree, state: next };
      }
      const r = inner.update(grads, state.inner, params, extra);
      return { updates: r.updates, state: { inner: r.state, notFiniteCount: 0, totalNotFinite: state.totalNotFinite + (finite ? 0 : 1), lastFinite: finite } };
    },
  };
  if (inner.evalPoint) t.evalPoint = (params, state) => inner.evalPoint!(params, state.inner);
  return t;
}
