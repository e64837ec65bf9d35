import { type Tensor, treeDot } from '@ddopt/tensor';
import { NoJvpRuleError } from './errors.js';
import { grad } from './grad.js';
import { jvp } from './jvp.js';
import { outermost } from './scope.js';

/**
 * Hessian-vector product H·v of a scalar `f(params)`, shaped like `params`: forward-over-reverse
 * (jvp of grad); if some operation has no JVP rule (a customVjp), reverse-over-reverse.
 */
export function hvp<P>(f: (params: P) => Tensor, params: P, v: P): P {
  return outermost(() => {
    try {
      return jvp((p: P) => grad(f)(p) as P, [params], [v])[1];
    } catch (e) {
      if (e instanceof NoJvpRuleError) return vhp(f, params, v);
      throw e;
    }
  });
}

/** vᵀ·H of a scalar `f(params)` by reverse-over-reverse (the gradient of ⟨∇f, v⟩); equals hvp for symmetric H. */
export function vhp<P>(f: (params: P) => Tensor, params: P, v: P): P {
  return outermost(() => grad((p: P) => treeDot(grad(f)(p), v))(params) as P);
}
