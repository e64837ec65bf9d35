import { backendInstance, getBackend } from './backend.js';
import { type DType, type TypedArray, allocate, assertDType, dtypeOfArray } from './dtype.js';
import { type Shape, assertShape, fmtShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/** Values accepted by `tensor`: a number, boolean, nested arrays of them, or a typed array. */
export type TensorLike = number | boolean | TensorLike[] | TypedArray;

export interface TensorOptions {
  shape?: readonly number[];
  dtype?: DType;
  /** Backend to create on; defaults to the current one (`getBackend()`). */
  backend?: string;
}

/** @internal Stores a typed array of the right storage type as a tensor on a backend. */
export function fromTypedArray(values: TypedArray, shape: Shape, dtype: DType, backendName = getBackend()): Tensor {
  const backend = backendInstance(backendName);
  if (!backend.dtypes.includes(dtype)) {
    throw new TypeError(`backend "${backendName}" does not support ${dtype} (it has ${backend.dtypes.join(', ')}); cast explicitly first`);
  }
  return new Tensor(backend.upload(values, shape, dtype), [...shape], dtype, backendName);
}

function inferShape(v: TensorLike): number[] {
  const shape: number[] = [];
  let x: TensorLike = v;
  while (Array.isArray(x)) {
    shape.push(x.length);
    x = x[0] as TensorLike;
  }
  return shape;
}

function flattenInto(v: TensorLike, shape: number[], dim: number, out: number[]): void {
  if (dim === shape.length) {
    if (Array.isArray(v)) throw new RangeError(`tensor: ragged nested array (deeper than ${fmtShape(shape)})`);
    out.push(typeof v === 'boolean' ? Number(v) : (v as number));
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[dim]) {
    throw new RangeError(`tensor: ragged nested array (expected length ${shape[dim]} at depth ${dim}, got ${Array.isArray(v) ? v.length : 'a scalar'})`);
  }
  for (const x of v) flattenInto(x, shape, dim + 1, out);
}

function firstLeaf(v: TensorLike): unknown {
  let x: unknown = v;
  while (Array.isArray(x)) x = x[0];
  return x;
}

/**
 * Creates a tensor from a number, nested arrays or a typed array. The dtype defaults to the
 * typed array's own, `bool` for booleans, else `float32`; values are never silently truncated.
 */
export function tensor(values: TensorLike, options: TensorOptions = {}): Tensor {
  if (options.dtype !== undefined) assertDType(options.dtype, 'tensor');
  let flat: ArrayLike<number>;
  let shape: number[];
  let dtype: DType;
  if (ArrayBuffer.isView(values)) {
    flat = values as TypedArray;
    dtype = options.dtype ?? dtypeOfArray(values as TypedArray);
    shape = options.shape ? [...options.shape] : [flat.length];
  } else {
    shape = inferShape(values);
    const out: number[] = [];
    flattenInto(values, shape, 0, out);
    flat = out;
    dtype = options.dtype ?? (typeof firstLeaf(values) === 'boolean' ? 'bool' : 'float32');
    if (options.shape) {
      if (sizeOf(options.shape) !== flat.length) {
        throw new RangeError(`tensor: shape ${fmtShape(options.shape)} needs ${sizeOf(options.shape)} values, got ${flat.length}`);
      }
      shape = [...options.shape];
    }
  }
  assertShape('tensor', shape);
  if (sizeOf(shape) !== flat.length) throw new RangeError(`tensor: shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, got ${flat.length}`);
  const store = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const x = flat[i]!;
    if (dtype === 'int32' && !Number.isInteger(x) && Number.isFinite(x)) {
      throw new TypeError(`tensor: value ${x} at flat index ${i} is not an integer; int32 tensors hold integers only`);
    }
    if (dtype === 'bool' && x !== 0 && x !== 1) throw new TypeError(`tensor: value ${x} at flat index ${i} is not a boolean (0/1/true/false)`);
    store[i] = x;
  }
  return fromTypedArray(store, shape, dtype, options.backend);
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, { dtype });
}

/** A tensor of `shape` with every element `value`. */
export function full(shape: readonly number[], value: number | boolean, dtype: DType = typeof value === 'boolean' ? 'bool' : 'float32'): Tensor {
  assertShape('full', shape);
  const store = allocate(dtype, sizeOf(shape));
  store.fill(Number(value));
  return fromTypedArray(store, shape, dtype);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

/** Zeros with the shape, dtype and backend of `t`. */
export function zerosLike(t: Tensor): Tensor {
  return fromTypedArray(allocate(t.dtype, t.size), t.shape, t.dtype, t.backend);
}

/** Ones with the shape, dtype and backend of `t`. */
export function onesLike(t: Tensor): Tensor {
  const store = allocate(t.dtype, t.size);
  store.fill(1);
  return fromTypedArray(store, t.shape, t.dtype, t.backend);
}

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m: number = n, dtype: DType = 'float32'): Tensor {
  assertShape('eye', [n, m]);
  const store = allocate(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) store[i * m + i] = 1;
  return fromTypedArray(store, [n, m], dtype);
}

/** Values start, start + step, ... below stop (NumPy's arange). */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be a finite non-zero number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const store = allocate(dtype, n);
  for (let i = 0; i < n; i++) store[i] = start + i * step;
  return fromTypedArray(store, [n], dtype);
}

/** `num` evenly spaced values from start to stop inclusive. */
export function linspace(start: number, stop: number, num: number, dtype: DType = 'float32'): Tensor {
  assertShape('linspace', [num]);
  const store = allocate(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) store[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return fromTypedArray(store, [num], dtype);
}
