import { type Tensor, isTensor, reshape, stack, tensor, treeDot } from '@ddopt/tensor';
import { NoJvpRuleError } from './errors.js';
import { grad, vjp } from './grad.js';
import { jvp, linearize } from './jvp.js';
import { outermost } from './scope.js';
import { fmtShape } from '@ddopt/tensor/validate';

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

function assertTensorFn(op: string, x: unknown, what: string): asserts x is Tensor {
  if (!isTensor(x)) throw new TypeError(`${op}: ${what} must be a single Tensor (use vjp/jvp for pytrees), got ${x === null ? 'null' : typeof x}`);
}

/** The standard basis vector e_i shaped like `like`. */
function basis(like: Tensor, i: number): Tensor {
  const v = like.dtype === 'float64' ? new Float64Array(like.size) : new Float32Array(like.size);
  v[i] = 1;
  return tensor(v, { shape: like.shape, dtype: like.dtype, backend: like.backend });
}

/** The Jacobian of `f: Tensor → Tensor` by reverse mode (one pullback per output element), shaped [...out, ...in]. */
export function jacrev(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x) =>
    outermost(() => {
      assertTensorFn('jacrev', x, 'the argument');
      const [y, pullback] = vjp(f, x);
      assertTensorFn('jacrev', y, 'f’s result');
      if (y.size === 0 || x.size === 0) throw new RangeError(`jacrev: empty Jacobian (${fmtShape(y.shape)} × ${fmtShape(x.shape)})`);
      const rows = Array.from({ length: y.size }, (_, i) => pullback(basis(y, i))[0] as Tensor);
      return reshape(stack(rows), [...y.shape, ...x.shape]);
    });
}

/** The Jacobian of `f: Tensor → Tensor` by forward mode (one linearized push per input element), shaped [...out, ...in]. */
export function jacfwd(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x) =>
    outermost(() => {
      assertTensorFn('jacfwd', x, 'the argument');
      const [y, push] = linearize(f, x);
      assertTensorFn('jacfwd', y, 'f’s result');
      if (y.size === 0 || x.size === 0) throw new RangeError(`jacfwd: empty Jacobian (${fmtShape(y.shape)} × ${fmtShape(x.shape)})`);
      const cols = Array.from({ length: x.size }, (_, j) => reshape(push(basis(x, j)), [y.size]));
      return reshape(stack(cols, 1), [...y.shape, ...x.shape]);
    });
}

/** The Jacobian of `f: Tensor → Tensor` (reverse mode), shaped [...out, ...in]. */
export const jacobian = jacrev;

/** The Hessian of a scalar `f: Tensor → Tensor`, shaped [...x, ...x] (forward over reverse). */
export function hessian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return jacfwd((x) => grad(f)(x) as Tensor);
}

