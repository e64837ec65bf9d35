import { add, isTensor, treeMap } from '@ddopt/tensor';
import type { PyTree, Tensor } from '@ddopt/tensor';
import { fmtShape, fmtValue } from '@ddopt/tensor/validate';
import type { GradientTransformation, ScalarOrSchedule, State } from './types.js';

/**
 * @internal Throws unless `tree` has the structure of `params` and each leaf its shape and dtype
 * (never broadcast: an update of [2, 3] for a param of [3] is an error, not a bigger param).
 */
export function checkMatchesParams(where: string, tree: unknown, params: unknown, what = 'gradient', path = ''): void {
  const at = path || 'the root';
  if (isTensor(params)) {
    if (!isTensor(tree)) throw new TypeError(`${where}: the ${what} at ${at} is ${fmtValue(tree)} but the param is a Tensor ${fmtShape(params.shape)}`);
    if (params.shape.length !== tree.shape.length || params.shape.some((d, i) => d !== tree.shape[i])) {
      throw new RangeError(`${where}: the ${what} at ${at} is ${fmtShape(tree.shape)} but the param is ${fmtShape(params.shape)}`);
    }
    if (params.dtype !== tree.dtype) throw new TypeError(`${where}: the ${what} at ${at} is ${tree.dtype} but the param is ${params.dtype}; cast explicitly`);
    return;
  }
  if (Array.isArray(params)) {
    if (!Array.isArray(tree) || tree.length !== params.length) throw new TypeError(`${where}: the ${what} at ${at} is ${fmtValue(tree)} but the params hold an array of ${params.length}`);
    params.forEach((p, i) => {
      checkMatchesParams(where, tree[i], p, what, `${path}[${i}]`);
    });
    return;
  }
  if (params !== null && typeof params === 'object') {
    if (tree === null || typeof tree !== 'object' || isTensor(tree) || Array.isArray(tree)) throw new TypeError(`${where}: the ${what} at ${at} is ${fmtValue(tree)} but the params hold an object there`);
    const pk = Object.keys(params).sort().join(', ');
    const tk = Object.keys(tree).sort().join(', ');
    if (pk !== tk) throw new TypeError(`${where}: the ${what} at ${at} has keys { ${tk} } but the params have { ${pk} }`);
    for (const k of Object.keys(params)) checkMatchesParams(where, (tree as Record<string, unknown>)[k], (params as Record<string, unknown>)[k], what, `${path}.${k}`);
  }
}

/** Adds `updates` to `params` leaf by leaf: one structure, and each update the shape and dtype of its param. */
export function applyUpdates<T extends PyTree>(params: T, updates: PyTree): T {
  checkMatchesParams('applyUpdates', updates, params, 'update');
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
