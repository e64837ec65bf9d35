import { add, treeMap } from '@ddopt/tensor';
import type { PyTree, Tensor } from '@ddopt/tensor';
import type { GradientTransformation, ScalarOrSchedule, State } from './types.js';

/** Adds `updates` to `params` leaf by leaf (both pytrees of one structure). */
export function applyUpdates<T extends PyTree>(params: T, updates: PyTree): T {
  return treeMap((p: Tensor, u: Tensor) => add(p, u), params, updates);
}

/** The point where the gradient of the next step must be taken: `opt.evalPoint` or the params themselves. */
export function evalPoint<T extends PyTree, S extends State>(opt: GradientTransformation<S>, params: T, state: S): T {
  return (opt.evalPoint ? opt.evalPoint(params, state) : params) as T;
}

/** The value of a number-or-schedule at step `count`. */
export function valueAt(x: ScalarOrSchedule, count: number): number {
  return typeof x === 'function' ? x(count) : x;
}

/** Throws unless `update` was given the params, naming the transform that needs them. */
export function requireParams(name: string, params: PyTree | undefined): PyTree {
  if (params === undefined) throw new TypeError(`${name}: update needs the params (pass them as the third argument)`);
  return params;
}
