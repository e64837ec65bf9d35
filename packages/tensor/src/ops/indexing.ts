import { fromTypedArray } from '../creation.js';
import { bind } from '../dispatch.js';
import { type DType, allocate, assertDType } from '../dtype.js';
import { fmtShape, normalizeAxis, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { isKey } from '../random/key.js';
import { cast } from './cast.js';
import { equal } from './compare.js';
import { alias } from './alias.js';
import { expandDims, reshape } from './movement.js';
import { assertInt } from '../validate/int.js';
import { assertTensor } from '../validate/tensor.js';

/**
 * The block of `x` starting at `begin` with extent `size` per axis (−1 = to the end).
 * Missing trailing entries mean "from 0, everything".
 */
export function slice(x: Tensor, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  assertTensor('slice', 'x', x);
  const b = typeof begin === 'number' ? [begin] : [...begin];
  const s = size === undefined ? [] : typeof size === 'number' ? [size] : [...size];
  if (b.length > x.rank || s.length > x.rank) {
    throw new RangeError(`slice: begin ${fmtShape(b)} / size ${fmtShape(s)} have more entries than the rank ${x.rank} of ${fmtShape(x.shape)}`);
  }
  const start: number[] = [];
  const ext: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const d = x.shape[i]!;
    const bi = b[i] ?? 0;
    const si = s[i] ?? -1;
    if (!Number.isInteger(bi) || bi < 0 || bi > d) throw new RangeError(`slice: begin ${bi} on axis ${i} is outside 0..${d} for ${fmtShape(x.shape)}`);
    const e = si === -1 ? d - bi : si;
    if (!Number.isInteger(e) || e < 0 || bi + e > d) {
      throw new RangeError(`slice: size ${si} from begin ${bi} on axis ${i} runs past the dim ${d} of ${fmtShape(x.shape)}`);
    }
    start.push(bi);
    ext.push(e);
  }
  if (shapesEqual(ext, x.shape)) return alias(x);
  return bind('slice', [x], { begin: start, size: ext });
}

function checkList(op: string, tensors: readonly Tensor[]): void {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new RangeError(`${op}: expects a non-empty array of tensors`);
  for (const [i, t] of tensors.entries()) assertTensor(op, `tensors[${i}]`, t);
  const first = tensors[0]!;
  for (const t of tensors) {
    if (t.dtype !== first.dtype) throw new TypeError(`${op}: dtypes ${tensors.map((u) => u.dtype).join(', ')} differ; cast explicitly`);
  }
}

/** Joins tensors along an existing axis; all other dims must agree. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList('concat', tensors);
  const first = tensors[0]!;
  const a = normalizeAxis('concat', axis, first.rank);
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new RangeError(`concat: shapes ${tensors.map((u) => fmtShape(u.shape)).join(', ')} differ outside axis ${a}`);
    }
  }
  if (tensors.length === 1) return first;
  return bind('concat', tensors, { axis: a });
}

/** Joins equal-shaped tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList('stack', tensors);
  const first = tensors[0]!;
  for (const t of tensors) {
    if (!shapesEqual(t.shape, first.shape)) throw new RangeError(`stack: shapes ${tensors.map((u) => fmtShape(u.shape)).join(', ')} differ`);
  }
  const a = normalizeAxis('stack', axis, first.rank + 1);
  return concat(
    tensors.map((t) => expandDims(t, a)),
    a,
  );
}

/** Splits `x` along `axis` into `count` equal parts, or into parts of the given sizes (PRNG keys split with `splitKey`). */
export function split(x: Tensor, countOrSizes: number | readonly number[], axis = 0): Tensor[] {
  if (isKey(x)) throw new TypeError('split: x is a PRNG key; split keys with splitKey(key, n)');
  assertTensor('split', 'x', x);
  if (countOrSizes === undefined) throw new TypeError('split: countOrSizes is required');
  const a = normalizeAxis('split', axis, x.rank);
  const d = x.shape[a]!;
  let sizes: number[];
  if (typeof countOrSizes === 'number') {
    assertInt('split', 'count', countOrSizes, 1);
    if (d % countOrSizes !== 0) throw new RangeError(`split: axis ${a} of ${fmtShape(x.shape)} has size ${d}, not divisible into ${countOrSizes} parts`);
    sizes = new Array<number>(countOrSizes).fill(d / countOrSizes);
  } else {
    sizes = [...countOrSizes];
    for (const s of sizes) assertInt('split', 'each size', s);
    const total = sizes.reduce((p, q) => p + q, 0);
    if (total !== d) throw new RangeError(`split: sizes ${fmtShape(sizes)} sum to ${total}, but axis ${a} of ${fmtShape(x.shape)} has size ${d}`);
  }
  const out: Tensor[] = [];
  let at = 0;
  for (const s of sizes) {
    const begin = x.shape.map((_, i) => (i === a ? at : 0));
    const size = x.shape.map((dim, i) => (i === a ? s : dim));
    out.push(slice(x, begin, size));
    at += s;
  }
  return out;
}

/** Takes the entries of `x` at int32 `indices` along `axis`; the result's axis is replaced by indices' shape. */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  assertTensor('gather', 'x', x);
  assertTensor('gather', 'indices', indices);
  if (indices.dtype !== 'int32') throw new TypeError(`gather: indices must be int32, got ${indices.dtype}`);
  if (indices.backend !== x.backend) throw new Error(`gather: x is on ${x.backend} but indices are on ${indices.backend}; move one with toBackend`);
  const a = normalizeAxis('gather', axis, x.rank);
  return bind('gather', [x, indices], { axis: a });
}

/** Pads each axis i with `paddings[i] = [before, after]` copies of `value`. */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  assertTensor('pad', 'x', x);
  if (!Array.isArray(paddings) || paddings.length !== x.rank) {
    throw new RangeError(`pad: paddings needs one [before, after] pair per axis of ${fmtShape(x.shape)} (${x.rank}), got ${JSON.stringify(paddings)}`);
  }
  for (const p of paddings) {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => Number.isInteger(n) && n >= 0)) {
      throw new RangeError(`pad: each padding must be a pair of integers ≥ 0, got ${JSON.stringify(p)}`);
    }
  }
  if (typeof value !== 'number') throw new TypeError(`pad: value must be a number, got ${typeof value}`);
  if (x.dtype === 'int32' && !Number.isInteger(value)) throw new TypeError(`pad: value ${value} is not an integer but x is int32`);
  if (x.dtype === 'bool' && value !== 0 && value !== 1) throw new TypeError(`pad: value ${value} cannot pad a bool tensor (only 0 or 1)`);
  if (paddings.every(([lo, hi]) => lo === 0 && hi === 0)) return alias(x);
  return bind('pad', [x], { paddings: paddings.map(([lo, hi]) => [lo, hi] as [number, number]), value });
}

/**
 * One-hot encodes int32 `indices` into a trailing axis of length `depth`. An index outside
 * [0, depth) throws naming its position (PyTorch's rule; tfjs would give a row of zeros), so the
 * indices are read once; abstract tensors (inside `vmap`) are not checked.
 */
export function oneHot(indices: Tensor, depth: number, dtype: DType = 'float32'): Tensor {
  assertTensor('oneHot', 'indices', indices);
  if (indices.dtype !== 'int32') throw new TypeError(`oneHot: indices must be int32, got ${indices.dtype}`);
  assertInt('oneHot', 'depth', depth);
  assertDType(dtype, 'oneHot');
  if (!indices.isAbstract) {
    const values = indices.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < 0 || v >= depth) throw new RangeError(`oneHot: index ${v} at flat position ${i} of indices ${fmtShape(indices.shape)} is outside [0, ${depth})`);
    }
  }
  const classes = allocate('int32', depth);
  for (let i = 0; i < depth; i++) classes[i] = i;
  const hot = equal(reshape(indices, [...indices.shape, 1]), fromTypedArray(classes, [depth], 'int32', indices.backend));
  return cast(hot, dtype);
}
