import { hvp } from '@ddopt/autograd';
import type { PyTree, Tensor } from '@ddopt/tensor';
import { checkOptions, option, type OptionSpec } from '@ddopt/tensor/validate';
import { type LinearOperator, checkedOperator } from './operator.js';
import { type Select, selectSubtree } from './select.js';
import { spaceOf } from './space.js';
import { scalarLoss } from './validate.js';

/** Options of `hessianOperator` and the Hessian spectra. */
export interface HessianOperatorOptions {
  /** Sub-tree(s) of the params to take the Hessian block of (`'layers.0'`, or several); the rest is held fixed. */
  select?: Select;
}

/** @internal The select option's check (a path or a non-empty array of paths). */
export const SELECT = option.anyOf(option.string(), option.arrayOf(option.string()));
const OPTIONS = { select: SELECT } satisfies OptionSpec<HessianOperatorOptions>;

/** @internal The loss restricted to the selected sub-tree, and the point (sub-tree) it is taken at. */
export function restricted<P>(where: string, f: (params: P) => Tensor, params: P, select: Select | undefined): { g: (sub: any) => Tensor; at: unknown } {
  const loss = scalarLoss(where, f);
  if (select === undefined) return { g: loss as (sub: any) => Tensor, at: params };
  const { sub, rebuild } = selectSubtree(where, params, select);
  return { g: (s: unknown) => loss(rebuild(s)), at: sub };
}

/**
 * The Hessian of the scalar loss `f` at `params` as a LinearOperator: each `apply(v)` is one
 * Hessian-vector product (`hvp` of @ddopt/autograd: forward over reverse). With `select`, the
 * diagonal block of the named sub-tree(s), whose vectors are shaped like that sub-tree.
 */
export function hessianOperator<P>(f: (params: P) => Tensor, params: P): LinearOperator<P>;
export function hessianOperator<P>(f: (params: P) => Tensor, params: P, options: HessianOperatorOptions): LinearOperator<PyTree<any>>;
export function hessianOperator<P>(f: (params: P) => Tensor, params: P, options?: HessianOperatorOptions): LinearOperator<any> {
  const o = checkOptions('hessianOperator', options, OPTIONS);
  return hessianOperatorAt('hessianOperator', f, params, o.select);
}

/** @internal hessianOperator with `where` naming the public function in errors. */
export function hessianOperatorAt<P>(where: string, f: (params: P) => Tensor, params: P, select: Select | undefined): LinearOperator<any> {
  const { g, at } = restricted(where, f, params, select);
  const space = spaceOf(where, select === undefined ? 'params' : 'the selected params', at);
  return checkedOperator('hessianOperator', space, (v) => hvp(g, at, v));
}
