import { bind } from '../dispatch.js';
import { type DType, assertDType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { assertTensor } from '../validate/tensor.js';

/**
 * Converts `x` to `dtype` explicitly: floats to int32 truncate toward zero, to bool test
 * `≠ 0`. Returns `x` itself when it already has that dtype.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor('cast', 'x', x);
  assertDType(dtype, 'cast');
  if (x.dtype === dtype) return x;
  return bind('cast', [x], { dtype });
}
