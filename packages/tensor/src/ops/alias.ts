import { bind } from '../dispatch.js';
import type { Tensor } from '../tensor.js';

/**
 * @internal A new Tensor object holding `x`'s values (shared on every backend: the reshape
 * kernels copy nothing), for calls that change nothing. Never `x` itself, so disposing the
 * result of a no-op leaves `x` alive, as in NumPy, PyTorch and tfjs.
 */
export function alias(x: Tensor): Tensor {
  return bind('reshape', [x], { shape: [...x.shape] });
}

/** @internal `x` itself when it has `shape` already, else its reshape: for composites, which need no new object. */
export function reshapeOrSelf(x: Tensor, shape: readonly number[]): Tensor {
  return x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i]) ? x : bind('reshape', [x], { shape: [...shape] });
}
