// Moment updates shared by the scaling transforms, written once in torch's arithmetic.
import { type Tensor, add, mul } from '@ddopt/tensor';

/** @internal β·m + (1 − β)·g (torch's `m.mul_(β).add_(g, alpha=1 − β)`). */
export function ema(m: Tensor, g: Tensor, beta: number): Tensor {
  return add(mul(m, beta), mul(g, 1 - beta));
}

/** @internal β·v + (1 − β)·g² (torch's `v.mul_(β).addcmul_(g, g, value=1 − β)`). */
export function emaSquare(v: Tensor, g: Tensor, beta: number): Tensor {
  return add(mul(v, beta), mul(mul(g, 1 - beta), g));
}
