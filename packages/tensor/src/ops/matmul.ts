import { bind } from '../dispatch.js';
import { broadcastShapes, fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { mul } from './arithmetic.js';
import { reshape } from './movement.js';
import { reshapeOrSelf } from './alias.js';
import { expandTo } from './operand.js';
import { assertTensor } from '../validate/tensor.js';

/**
 * Matrix product with NumPy semantics: 1-D operands are promoted to a row (left) or a column
 * (right) and the added axis removed again; leading batch dims broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  assertTensor('matmul', 'a', a);
  assertTensor('matmul', 'b', b);
  if (a.rank === 0 || b.rank === 0) throw new RangeError(`matmul: operands must have rank ≥ 1, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}; use mul for scalars`);
  if (a.dtype !== b.dtype) throw new TypeError(`matmul: dtypes ${a.dtype} and ${b.dtype} differ; cast one explicitly`);
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const [m, k] = a2.shape.slice(-2) as [number, number];
  const [k2, n] = b2.shape.slice(-2) as [number, number];
  if (k !== k2) throw new RangeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} do not multiply (inner dims ${k} vs ${k2})`);
  const batch = broadcastShapes('matmul', a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const out = bind('matmul', [expandTo(a2, [...batch, m, k]), expandTo(b2, [...batch, k, n])], {});
  const shape = [...batch, ...(a.rank === 1 ? [] : [m]), ...(b.rank === 1 ? [] : [n])];
  return reshapeOrSelf(out, shape);
}

/** Inner product of vectors, matrix–vector or matrix–matrix product (operands of rank 1 or 2). */
export function dot(a: Tensor, b: Tensor): Tensor {
  assertTensor('dot', 'a', a);
  assertTensor('dot', 'b', b);
  if (a.rank < 1 || a.rank > 2 || b.rank < 1 || b.rank > 2) {
    throw new RangeError(`dot: expects operands of rank 1 or 2, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}; use matmul for batches`);
  }
  return matmul(a, b);
}

/** Outer product of two vectors: out[i, j] = a[i] · b[j]. */
export function outer(a: Tensor, b: Tensor): Tensor {
  assertTensor('outer', 'a', a);
  assertTensor('outer', 'b', b);
  if (a.rank !== 1 || b.rank !== 1) throw new RangeError(`outer: expects two vectors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return mul(reshape(a, [a.shape[0]!, 1]), reshape(b, [1, b.shape[0]!]));
}
