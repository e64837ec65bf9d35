import { bind } from '../dispatch.js';
import { fmtShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertInt } from '../validate/int.js';
import { assertTensor } from '../validate/tensor.js';
import { alias } from './alias.js';
import { checkArg, checkOptions, option } from '../validate/options.js';

/** Gives `x` a new shape with the same elements in row-major order; one dim may be −1. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('reshape', 'x', x);
  if (!Array.isArray(shape)) throw new TypeError(`reshape: shape must be an array of integers, got ${String(shape)}`);
  const bad = shape.find((d) => !Number.isInteger(d) || d < -1);
  if (bad !== undefined) throw new RangeError(`reshape: invalid dim ${bad} in ${fmtShape(shape)} (dims are integers ≥ 0, or one −1)`);
  const free = shape.filter((d) => d === -1).length;
  if (free > 1) throw new RangeError(`reshape: at most one −1 is allowed, got ${fmtShape(shape)}`);
  let out = [...shape];
  if (free === 1) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || x.size % known !== 0) {
      throw new RangeError(`reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shape)}`);
    }
    out = shape.map((d) => (d === -1 ? x.size / known : d));
  }
  if (sizeOf(out) !== x.size) {
    throw new RangeError(`reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(out)} (${sizeOf(out)} elements)`);
  }
  return bind('reshape', [x], { shape: out });
}

/** Permutes the axes of `x`; `perm` defaults to reversing them. */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  assertTensor('transpose', 'x', x);
  const r = x.rank;
  const p = perm === undefined ? Array.from({ length: r }, (_, i) => r - 1 - i) : perm.map((a) => normalizeAxis('transpose', a, r));
  if (p.length !== r || new Set(p).size !== r) {
    throw new RangeError(`transpose: perm ${fmtShape(perm ?? p)} is not a permutation of the ${r} axes of ${fmtShape(x.shape)}`);
  }
  if (p.every((a, i) => a === i)) return alias(x);
  return bind('transpose', [x], { perm: p });
}

/** Inserts a size-1 axis at `axis` (negative counts from the end of the result). */
export function expandDims(x: Tensor, axis = 0): Tensor {
  assertTensor('expandDims', 'x', x);
  const a = normalizeAxis('expandDims', axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Removes size-1 axes: the given ones (which must have size 1), or all of them. */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  assertTensor('squeeze', 'x', x);
  const axes = axis === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axis, x.rank);
  for (const a of axes) {
    if (x.shape[a] !== 1) throw new RangeError(`squeeze: axis ${a} of ${fmtShape(x.shape)} has size ${x.shape[a]}, expected 1`);
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Broadcasts `x` to `shape` by NumPy rules (size-1 or missing leading dims stretch). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('broadcastTo', 'x', x);
  const r = shape.length;
  const ok =
    r >= x.rank &&
    shape.every((d) => Number.isInteger(d) && d >= 0) &&
    x.shape.every((d, i) => d === 1 || d === shape[r - x.rank + i]);
  if (!ok) throw new RangeError(`broadcastTo: cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  if (shapesEqual(x.shape, shape)) return alias(x);
  return bind('broadcastTo', [x], { shape: [...shape] });
}

/** Reverses the order of elements along the given axes (all axes when omitted). */
export function flip(x: Tensor, axis?: number | readonly number[]): Tensor {
  assertTensor('flip', 'x', x);
  const axes = normalizeAxes('flip', axis, x.rank);
  if (axes.length === 0) return alias(x);
  return bind('reverse', [x], { axes });
}

/** Repeats `x` `reps[i]` times along axis i (NumPy's tile: the shorter of the two is padded with leading 1s). */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  assertTensor('tile', 'x', x);
  if (!Array.isArray(reps)) throw new TypeError(`tile: reps must be an array of integers, got ${String(reps)}`);
  for (const r of reps) assertInt('tile', 'each of reps', r);
  const n = Math.max(x.rank, reps.length);
  const dims = [...new Array<number>(n - x.rank).fill(1), ...x.shape];
  const rs = [...new Array<number>(n - reps.length).fill(1), ...reps];
  // Interleave a broadcast axis before each dim, then merge each pair: [r0,d0,r1,d1,...] → [r0·d0, r1·d1, ...].
  const inter = dims.flatMap((d) => [1, d]);
  const wide = dims.flatMap((d, i) => [rs[i]!, d]);
  return reshape(
    broadcastTo(reshape(x, inter), wide),
    dims.map((d, i) => d * rs[i]!),
  );
}

const CUMSUM = { reverse: option.boolean().default(false) };

/** Running sum along `axis`; with `reverse`, sums from the end. */
export function cumsum(x: Tensor, axis: number, options?: { reverse?: boolean }): Tensor {
  assertTensor('cumsum', 'x', x);
  const { reverse } = checkOptions('cumsum', options, CUMSUM);
  const a = normalizeAxis('cumsum', checkArg('cumsum', 'axis', option.number({ integer: true }), axis), x.rank);
  return bind('cumsum', [x], { axis: a, reverse });
}
