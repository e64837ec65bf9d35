import { type Tensor, treeDot } from '@ddopt/tensor';
import { checkArg, option } from '@ddopt/tensor/validate';
import { NoJvpRuleError } from './errors.js';
import { gradAs } from './grad.js';
import { jvpAs } from './jvp.js';
import { outermost } from './scope.js';
import { flat, sameStructure } from './tree.js';
import { fmtShape } from '@ddopt/tensor/validate';

/** Throws unless `v` is a pytree like `params`, leaf for leaf the same shape and dtype (never broadcast). */
function checkLike(op: string, params: unknown, v: unknown): void {
  const p = flat(params, 'params');
  const d = flat(v, 'v');
  if (!sameStructure(p.def, d.def) || p.leaves.length !== d.leaves.length) throw new TypeError(`${op}: v has leaves ${d.paths.join(', ') || '(none)'} but params has ${p.paths.join(', ') || '(none)'}`);
  d.leaves.forEach((t, k) => {
    const x = p.leaves[k]!;
    if (t.dtype !== x.dtype || fmtShape(t.shape) !== fmtShape(x.shape)) throw new TypeError(`${op}: ${d.paths[k]} is ${fmtShape(t.shape)} ${t.dtype} but ${p.paths[k]} is ${fmtShape(x.shape)} ${x.dtype}`);
  });
}

/**
 * Hessian-vector product H·v of a scalar `f(params)`, shaped like `params`: forward-over-reverse
 * (jvp of grad); if some operation has no JVP rule (a customVjp), reverse-over-reverse.
 */
export function hvp<P>(f: (params: P) => Tensor, params: P, v: P): P {
  checkArg('hvp', 'f', option.fn(), f);
  checkLike('hvp', params, v);
  return outermost(() => {
    try {
      return jvpAs('hvp', (p: P) => gradAs('hvp', f)(p) as P, [params], [v])[1];
    } catch (e) {
      if (e instanceof NoJvpRuleError) return vhp(f, params, v);
      throw e;
    }
  });
}

/** vᵀ·H of a scalar `f(params)` by reverse-over-reverse (the gradient of ⟨∇f, v⟩); equals hvp for symmetric H. */
export function vhp<P>(f: (params: P) => Tensor, params: P, v: P): P {
  checkArg('vhp', 'f', option.fn(), f);
  checkLike('vhp', params, v);
  return outermost(() => gradAs('vhp', (p: P) => treeDot(gradAs('vhp', f)(p), v))(params) as P);
}
