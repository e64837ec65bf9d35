import { backendInstance, getBackend } from './backend.js';
import { DTYPES, type DType, type TypedArray, allocate, assertDType, dtypeOfArray, isFloat } from './dtype.js';
import { type Shape, assertShape, fmtShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';
import { assertInt } from './validate/int.js';
import { type OptionSpec, checkArg, checkOptions, option } from './validate/options.js';
import { fmtValue } from './validate/value.js';

/** Values accepted by `tensor`: a number, boolean, nested arrays of them, or a typed array. */
export type TensorLike = number | boolean | TensorLike[] | TypedArray;

export interface TensorOptions {
  shape?: readonly number[];
  dtype?: DType;
  /** Backend to create on; defaults to the current one (`getBackend()`). */
  backend?: string;
}

/** A tensor of `shape` holding `values` (already the storage type of `dtype`) on backend `backendName` (default: the current one); `where` names the caller in errors. */
export function fromTypedArray(values: TypedArray, shape: Shape, dtype: DType, backendName = getBackend(), where?: string): Tensor {
  const prefix = where ? `${where}: ` : '';
  let backend: ReturnType<typeof backendInstance>;
  try {
    backend = backendInstance(backendName);
  } catch (e) {
    if (!where) throw e;
    const Err = (e as Error).constructor as ErrorConstructor;
    throw new Err(`${prefix}${(e as Error).message}`);
  }
  if (!backend.dtypes.includes(dtype)) {
    throw new TypeError(`${prefix}backend "${backendName}" does not support ${dtype} (it has ${backend.dtypes.join(', ')}); cast explicitly first`);
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

function flattenInto(v: TensorLike, shape: number[], dim: number, out: unknown[]): void {
  if (dim === shape.length) {
    if (Array.isArray(v)) throw new RangeError(`tensor: ragged nested array (deeper than ${fmtShape(shape)})`);
    out.push(v);
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[dim]) {
    throw new RangeError(`tensor: ragged nested array (expected length ${shape[dim]} at depth ${dim}, got ${Array.isArray(v) ? v.length : 'a scalar'})`);
  }
  // An index loop, not for-of: holes must reach the element check as holes.
  for (let i = 0; i < v.length; i++) {
    if (!(i in v)) throw new TypeError(`tensor: the nested array has a hole at index ${i} of depth ${dim}; every entry must be a number or a boolean`);
    flattenInto(v[i] as TensorLike, shape, dim + 1, out);
  }
}

function firstLeaf(v: TensorLike): unknown {
  let x: unknown = v;
  while (Array.isArray(x)) x = x[0];
  return x;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

// A flat index names the element; its message is built only when an error needs it.
const elementName = (at: string | number): string => (typeof at === 'number' ? `value at flat index ${at}` : at);

/**
 * One element for a tensor of `dtype`: numbers and booleans only; int32 takes integers in
 * [−2³¹, 2³¹), bool takes true/false/0/1. Never truncated, wrapped or turned into 0 or NaN.
 */
function elementValue(where: string, at: string | number, x: unknown, dtype: DType): number {
  if (typeof x === 'boolean') return Number(x);
  if (typeof x !== 'number') throw new TypeError(`${where}: ${elementName(at)} must be a number or a boolean, got ${fmtValue(x)}`);
  if (dtype === 'int32') {
    if (!Number.isInteger(x)) throw new TypeError(`${where}: ${elementName(at)} is ${fmtValue(x)}, not an integer; int32 tensors hold integers only`);
    if (x < INT32_MIN || x > INT32_MAX) throw new RangeError(`${where}: ${elementName(at)} is ${x}, outside int32's range [-2^31, 2^31 - 1]`);
  }
  if (dtype === 'bool' && x !== 0 && x !== 1) throw new TypeError(`${where}: ${elementName(at)} is ${fmtValue(x)}, not a boolean (0/1/true/false)`);
  return x;
}

const TENSOR_OPTIONS = {
  shape: option.arrayOf(option.int(0)),
  dtype: option.oneOf(DTYPES),
  backend: option.string(),
} satisfies OptionSpec<TensorOptions>;

// tensor(values, 'float64') and tf.tensor(values, shape) put positionally what goes in the options here.
function tensorHint(v: unknown): string | undefined {
  if (typeof v === 'string') return `write tensor(values, { dtype: ${fmtValue(v)} })`;
  if (Array.isArray(v)) return `write tensor(values, { shape: ${fmtValue(v)} })`;
  return undefined;
}

/**
 * Creates a tensor from a number, nested arrays or a typed array. The dtype defaults to the
 * typed array's own, `bool` for booleans, else `float32`; values are never silently truncated,
 * wrapped or read as 0/NaN (strings, null, undefined and holes throw).
 */
export function tensor(values: TensorLike, options?: TensorOptions): Tensor {
  const o = checkOptions('tensor', options, TENSOR_OPTIONS, { hint: tensorHint });
  let flat: ArrayLike<unknown>;
  let shape: number[];
  let dtype: DType;
  if (ArrayBuffer.isView(values)) {
    if (values instanceof DataView) throw new TypeError('tensor: values must be a number, a boolean, nested arrays or a typed array, got a DataView');
    const own = dtypeOfArray(values);
    if (own === undefined && o.dtype === undefined) {
      throw new TypeError(`tensor: a ${values.constructor.name} has no dtype of its own (Float32Array, Float64Array, Int32Array and Uint8Array for bool do); pass { dtype } to convert it`);
    }
    flat = values as unknown as ArrayLike<unknown>;
    dtype = o.dtype ?? own!;
    shape = o.shape ? [...o.shape] : [flat.length];
  } else {
    if (values === null || (typeof values !== 'number' && typeof values !== 'boolean' && !Array.isArray(values))) {
      throw new TypeError(`tensor: values must be a number, a boolean, nested arrays or a typed array, got ${fmtValue(values)}`);
    }
    shape = inferShape(values);
    const out: unknown[] = [];
    flattenInto(values, shape, 0, out);
    flat = out;
    dtype = o.dtype ?? (typeof firstLeaf(values) === 'boolean' ? 'bool' : 'float32');
    if (o.shape) {
      if (sizeOf(o.shape) !== flat.length) {
        throw new RangeError(`tensor: shape ${fmtShape(o.shape)} needs ${sizeOf(o.shape)} values, got ${flat.length}`);
      }
      shape = [...o.shape];
    }
  }
  assertShape('tensor', shape);
  if (sizeOf(shape) !== flat.length) throw new RangeError(`tensor: shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, got ${flat.length}`);
  const store = allocate(dtype, flat.length);
  // Float arrays into a float dtype hold only valid values: one typed-array copy (rounding to
  // float32 exactly as an element-wise assignment does). Everything else is checked per element.
  if (isFloat(dtype) && (flat instanceof Float64Array || flat instanceof Float32Array)) store.set(flat);
  else for (let i = 0; i < flat.length; i++) store[i] = elementValue('tensor', i, flat[i], dtype);
  return fromTypedArray(store, shape, dtype, o.backend, 'tensor');
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  if (dtype !== undefined) assertDType(dtype, 'scalar');
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new TypeError(`scalar: value must be a number or a boolean, got ${fmtValue(value)}`);
  return tensor(value, { dtype });
}

function shapeArg(where: string, shape: unknown): readonly number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${where}: shape must be an array of integers ≥ 0, got ${fmtValue(shape)}`);
  assertShape(where, shape);
  return shape;
}

function filled(where: string, shape: readonly number[], value: unknown, dtype: DType): Tensor {
  shapeArg(where, shape);
  assertDType(dtype, where);
  const store = allocate(dtype, sizeOf(shape));
  store.fill(elementValue(where, 'value', value, dtype));
  return fromTypedArray(store, shape, dtype, undefined, where);
}

/** A tensor of `shape` with every element `value` (a number or boolean, never a string). */
export function full(shape: readonly number[], value: number | boolean, dtype: DType = typeof value === 'boolean' ? 'bool' : 'float32'): Tensor {
  return filled('full', shape, value, dtype);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('zeros', shape, 0, dtype);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('ones', shape, 1, dtype);
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
  assertInt('eye', 'n', n);
  assertInt('eye', 'm', m);
  assertDType(dtype, 'eye');
  const store = allocate(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) store[i * m + i] = 1;
  return fromTypedArray(store, [n, m], dtype, undefined, 'eye');
}

/** Values start, start + step, ... below stop (NumPy's arange). */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  const finite = option.number();
  checkArg('arange', 'start', finite, start);
  if (stop !== undefined) checkArg('arange', 'stop', finite, stop);
  checkArg('arange', 'step', finite, step);
  assertDType(dtype, 'arange');
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0) throw new RangeError(`arange: step must be a finite non-zero number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const store = allocate(dtype, n);
  for (let i = 0; i < n; i++) store[i] = elementValue('arange', `value ${i}`, start + i * step, dtype);
  return fromTypedArray(store, [n], dtype, undefined, 'arange');
}

/** `num` evenly spaced values from start to stop inclusive. */
export function linspace(start: number, stop: number, num: number, dtype: DType = 'float32'): Tensor {
  checkArg('linspace', 'start', option.number(), start);
  checkArg('linspace', 'stop', option.number(), stop);
  assertInt('linspace', 'num', num);
  assertDType(dtype, 'linspace');
  const store = allocate(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) store[i] = elementValue('linspace', `value ${i}`, i === num - 1 && num > 1 ? stop : start + i * step, dtype);
  return fromTypedArray(store, [num], dtype, undefined, 'linspace');
}
