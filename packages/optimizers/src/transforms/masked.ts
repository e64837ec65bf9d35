import { isTensor, treeFlatten, treeLeaves, treeUnflatten } from '@ddopt/tensor';
import type { PyTree, Tensor } from '@ddopt/tensor';
import { checkArg } from '@ddopt/tensor/validate';
import { transformOpt } from '../validate.js';
import type { GradientTransformation, State } from '../types.js';

/** A pytree like the params whose leaves are booleans, or a function of the params returning one. */
export type Mask = unknown | ((params: PyTree) => unknown);

/**
 * Applies `inner` only to the leaves where `mask` is true; the other leaves' updates are the
 * incoming gradients unchanged. The inner state covers the selected leaves, as a list.
 */
export function masked<S extends State>(inner: GradientTransformation<S>, mask: Mask): GradientTransformation<S> {
  checkArg('masked', 'inner', transformOpt(), inner);
  const flags = (params: PyTree): boolean[] => {
    const m = typeof mask === 'function' ? (mask as (p: PyTree) => unknown)(params) : mask;
    const out: boolean[] = [];
    walk(params, m, out, 'mask');
    return out;
  };
  const pick = <T>(xs: readonly T[], f: boolean[]) => xs.filter((_, i) => f[i]);
  const merge = (tree: PyTree, f: boolean[], selected: Tensor[]) => {
    const { leaves, def } = treeFlatten(tree);
    const queue = selected.slice();
    return treeUnflatten(def, (leaves as Tensor[]).map((x, i) => (f[i] ? queue.shift()! : x))) as PyTree;
  };
  const t: GradientTransformation<S> = {
    init: (params) => inner.init(pick(treeLeaves(params) as Tensor[], flags(params))),
    update(grads, state, params, extra) {
      const f = flags(params ?? grads);
      const sel = pick(treeLeaves(grads) as Tensor[], f);
      const r = inner.update(sel, state, params ? pick(treeLeaves(params) as Tensor[], f) : undefined, extra);
      return { updates: merge(grads, f, r.updates as Tensor[]), state: r.state };
    },
  };
  if (inner.evalPoint) {
    // The look-ahead moves only the selected leaves.
    t.evalPoint = (params, state) => {
      const f = flags(params);
      return merge(params, f, inner.evalPoint!(pick(treeLeaves(params) as Tensor[], f), state) as Tensor[]);
    };
  }
  return t;
}

// Walks params and mask together, in the pytree's leaf order (object keys in insertion order, as treeFlatten).
function walk(p: unknown, m: unknown, out: boolean[], path: string): void {
  if (isTensor(p)) {
    if (typeof m !== 'boolean') throw new TypeError(`masked: ${path} must be a boolean where the params have a tensor, got ${typeof m}`);
    out.push(m);
    return;
  }
  if (typeof m === 'boolean') {
    for (const _ of treeLeaves(p as PyTree)) out.push(m);
    return;
  }
  if (m === null || typeof m !== 'object') throw new TypeError(`masked: ${path} must be a boolean or a subtree, got ${String(m)}`);
  const keys = Array.isArray(p) ? p.map((_, i) => String(i)) : Object.keys(p as object);
  for (const k of keys) walk((p as Record<string, unknown>)[k], (m as Record<string, unknown>)[k], out, `${path}.${k}`);
}
