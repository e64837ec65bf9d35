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

/** Converts and broadcasts two operands to one shape, refusing mixed dtypes. */
export function operands(op: string, a: Operand, b: Operand): [Tensor, Tensor] {
  if (!isTensor(a) && !isTensor(b)) throw new TypeError(`${op}: at least one argument must be a Tensor`);
  const ta = asTensor(op, a, isTensor(a) ? a : (b as Tensor));
  const tb = asTensor(op, b, ta);
  if (ta.dtype !== tb.dtype) throw new TypeError(`${op}: dtypes ${ta.dtype} and ${tb.dtype} differ; cast one explicitly`);
  const shape = broadcastShapes(op, ta.shape, tb.shape);
  return [expandTo(ta, shape), expandTo(tb, shape)];
}

/** Throws unless `x` is a Tensor, naming the op and the argument. */
export function assertTensor(op: string, arg: string, x: unknown): asserts x is Tensor {
  if (!isTensor(x)) throw new TypeError(`${op}: ${arg} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/** Throws unless `x` holds floats, naming the op and the dtype seen. */
export function assertFloat(op: string, arg: string, x: Tensor): void {
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new TypeError(`${op}: ${arg} must be float32 or float64, got ${x.dtype}`);
}

/** Throws unless `n` is an integer ≥ `min`, naming the op and the argument. */
export function assertInt(op: string, arg: string, n: unknown, min = 0): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) throw new RangeError(`${op}: ${arg} must be an integer ≥ ${min}, got ${String(n)}`);
}

/** A scalar constant of `dtype` on `like`'s backend. */
export function constant(value: number, like: Tensor, dtype = like.dtype): Tensor {
  const store = allocate(dtype, 1);
  store[0] = value;
  return fromTypedArray(store, [], dtype, like.backend);
}

/** One number for both spatial axes, or [height, width]. */
export type Pair = number | readonly [number, number];

/** Normalizes a number-or-pair option, checking each entry is an integer ≥ `min`. */
export function pair(op: string, name: string, v: Pair | undefined, fallback: number, min: number): [number, number] {
  const p: [number, number] = v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (typeof v === 'object' && (!Array.isArray(v) || v.length !== 2)) throw new RangeError(`${op}: ${name} must be a number or a pair, got ${JSON.stringify(v)}`);
  for (const n of p) assertInt(op, name, n, min);
  return p;
}
