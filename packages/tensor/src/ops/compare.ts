import { bind } from '../dispatch.js';
import type { ComparePrimitive } from '../primitives.js';
import { broadcastShapes } from '../shape.js';
import { type Tensor, isTensor } from '../tensor.js';
import { assertTensor } from '../validate/tensor.js';
import { type Operand, asTensor, expandTo, operands } from './operand.js';

function compare(p: ComparePrimitive, a: Operand, b: Operand): Tensor {
  return bind(p, operands(p, a, b), {});
}

/** Elementwise a == b (bool), with NumPy broadcasting; NaN equals nothing. */
export function equal(a: Operand, b: Operand): Tensor {
  return compare('equal', a, b);
}

/** Elementwise a != b (bool), with NumPy broadcasting; NaN differs from everything. */
export function notEqual(a: Operand, b: Operand): Tensor {
  return compare('notEqual', a, b);
}

/** Elementwise a > b (bool), with NumPy broadcasting. */
export function greater(a: Operand, b: Operand): Tensor {
  return compare('greater', a, b);
}

/** Elementwise a ≥ b (bool), with NumPy broadcasting. */
export function greaterEqual(a: Operand, b: Operand): Tensor {
  return compare('greaterEqual', a, b);
}

/** Elementwise a < b (bool), with NumPy broadcasting. */
export function less(a: Operand, b: Operand): Tensor {
  return compare('less', a, b);
}

/** Elementwise a ≤ b (bool), with NumPy broadcasting. */
export function lessEqual(a: Operand, b: Operand): Tensor {
  return compare('lessEqual', a, b);
}

/** Picks `a` where `cond` is true and `b` elsewhere; all three broadcast together. */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  assertTensor('where', 'cond', cond);
  if (cond.dtype !== 'bool') throw new TypeError(`where: cond must be bool, got ${cond.dtype}; compare first (e.g. greater(x, 0))`);
  if (!isTensor(a) && !isTensor(b)) throw new TypeError('where: at least one of a and b must be a Tensor (to fix the dtype)');
  const ta = asTensor('where', a, isTensor(a) ? a : (b as Tensor));
  const tb = asTensor('where', b, ta);
  if (ta.dtype !== tb.dtype) throw new TypeError(`where: a and b have dtypes ${ta.dtype} and ${tb.dtype}; cast one explicitly`);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, ta.shape), tb.shape);
  return bind('where', [expandTo(cond, shape), expandTo(ta, shape), expandTo(tb, shape)], {});
}
