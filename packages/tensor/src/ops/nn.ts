import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div, sub } from './arithmetic.js';
import { assertFloat, assertTensor } from '../validate/tensor.js';
import { logSumExp, max, sum } from './reduce.js';
import { exp } from './unary.js';

/** exp(x) normalized to sum 1 along `axis`, shifted by the max for stability. */
export function softmax(x: Tensor, axis = -1): Tensor {
  assertTensor('softmax', 'x', x);
  assertFloat('softmax', 'x', x);
  axis = normalizeAxis('softmax', axis, x.rank);
  const e = exp(sub(x, max(x, { axis, keepdims: true })));
  return div(e, sum(e, { axis, keepdims: true }));
}

/** log(softmax(x)) along `axis`, computed as x − logSumExp(x). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  assertTensor('logSoftmax', 'x', x);
  assertFloat('logSoftmax', 'x', x);
  axis = normalizeAxis('logSoftmax', axis, x.rank);
  return sub(x, logSumExp(x, { axis, keepdims: true }));
}
