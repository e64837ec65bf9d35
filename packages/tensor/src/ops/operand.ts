import { fromTypedArray } from '../creation.js';
import { bind } from '../dispatch.js';
import { allocate } from '../dtype.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import { type Tensor, isTensor } from '../tensor.js';

/** A tensor, or a JS number that takes the dtype and backend of the tensor it meets. */
export type Operand = Tensor | number;

/** Turns a JS number into a scalar tensor like `like`; tensors pass through unchanged. */
export function asTensor(op: string, x: Operand, like: Tensor): Tensor {
  if (isTensor(x)) return x;
  if (typeof x !== 'number') throw new TypeError(`${op}: expected a Tensor or a number, got ${typeof x}`);
  // A number adopts the tensor's dtype, so refuse values that dtype cannot hold exactly.
  if (like.dtype === 'int32' && !Number.isInteger(x)) {
    throw new TypeError(`${op}: the number ${x} is not an integer but the other operand is int32; cast the tensor to a float dtype first`);
  }
  if (like.dtype === 'bool' && x !== 0 && x !== 1) throw new TypeError(`${op}: the number ${x} cannot meet a bool tensor (only 0 or 1)`);
  return constant(x, like);
}

/** Broadcasts `x` to `shape` (a no-op when it already has it). */
export function expandTo(x: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  return bind('broadcastTo', [x], { shape: [...shape] });
}

/**
 * Converts and broadcasts two operands to one shape, refusing mixed dtypes. A rank-0 operand
 * stays rank-0: binary and comparison primitives take it as it is, so `mul(x, 2)` makes no
 * full-size array of 2s (Adam's step had 52 such broadcasts).
 */
export function operands(op: string, a: Operand, b: Operand): [Tensor, Tensor] {
  if (!isTensor(a) && !isTensor(b)) throw new TypeError(`${op}: at least one argument must be a Tensor`);
  const ta = asTensor(op, a, isTensor(a) ? a : (b as Tensor));
  const tb = asTensor(op, b, ta);
  if (ta.dtype !== tb.dtype) throw new TypeError(`${op}: dtypes ${ta.dtype} and ${tb.dtype} differ; cast one explicitly`);
  const shape = broadcastShapes(op, ta.shape, tb.shape);
  return [ta.rank === 0 ? ta : expandTo(ta, shape), tb.rank === 0 ? tb : expandTo(tb, shape)];
}

/** A scalar constant of `dtype` on `like`'s backend. */
export function constant(value: number, like: Tensor, dtype = like.dtype): Tensor {
  const store = allocate(dtype, 1);
  store[0] = value;
  return fromTypedArray(store, [], dtype, like.backend);
}
