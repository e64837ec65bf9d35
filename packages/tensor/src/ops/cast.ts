import { bind } from '../dispatch.js';
import { type DType, assertDType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { assertTensor } from '../validate/tensor.js';
import { alias } from './alias.js';

/**
 * Converts `x` to `dtype` explicitly: floats to int32 truncate toward zero, to bool test
 * `≠ 0`. With the dtype `x` already has, returns a new tensor sharing its values (never `x` itself).
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor('cast', 'x', x);
  assertDType(dtype, 'cast');
  if (x.dtype === dtype) return alias(x);
  return bind('cast', [x], { dtype });
}
