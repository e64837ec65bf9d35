import { fromTypedArray } from '../creation.js';
import { assertShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { type Key, assertKey } from './key.js';
import { WordStream } from './stream.js';
import { type OptionSpec, checkOptions, option } from '../validate/options.js';
import { fmtValue } from '../validate/value.js';

/** Options of the float samplers. */
export interface FloatSampleOptions {
  /** float32 (default) or float64. */
  dtype?: 'float32' | 'float64';
}

/** Options of `uniform`. */
export interface UniformOptions extends FloatSampleOptions {
  /** Inclusive lower bound (default 0). */
  low?: number;
  /** Exclusive upper bound (default 1). */
  high?: number;
}

/** Options of `rademacher`. */
export interface RademacherOptions {
  /** float32 (default), float64 or int32. */
  dtype?: 'float32' | 'float64' | 'int32';
}

function checkShape(op: string, shape: unknown): readonly number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${op}: shape must be an array of non-negative integers, got ${fmtValue(shape)}`);
  assertShape(op, shape);
  return shape;
}

const FLOAT = option.oneOf(['float32', 'float64']).default('float32');
const UNIFORM = { dtype: FLOAT, low: option.number().default(0), high: option.number().default(1) } satisfies OptionSpec<UniformOptions>;
const FLOAT_SAMPLE = { dtype: FLOAT } satisfies OptionSpec<FloatSampleOptions>;
const RADEMACHER = { dtype: option.oneOf(['float32', 'float64', 'int32']).default('float32') } satisfies OptionSpec<RademacherOptions>;

// A dtype given where the options go: randn(key, [2], 'float64') → randn(key, [2], { dtype: 'float64' }).
const dtypeHint = (op: string) => (v: unknown) => (typeof v === 'string' ? `write ${op}(key, shape, { dtype: ${fmtValue(v)} })` : undefined);

const scratch64 = new Float64Array(1);
const bits64 = new BigInt64Array(scratch64.buffer);
const scratch32 = new Float32Array(1);
const bits32 = new Int32Array(scratch32.buffer);

/** The largest float of `dtype` strictly below the finite non-zero-crossing value `x`. */
function floatBelow(x: number, dtype: 'float32' | 'float64'): number {
  if (x === 0) return dtype === 'float64' ? -Number.MIN_VALUE : -(2 ** -149);
  if (dtype === 'float64') {
    scratch64[0] = x;
    bits64[0] = bits64[0]! + (x > 0 ? -1n : 1n);
    return scratch64[0];
  }
  scratch32[0] = x;
  bits32[0] = bits32[0]! + (x > 0 ? -1 : 1);
  return scratch32[0];
}

/** Uniform floats in [low, high) (defaults [0, 1)), with 53 random bits for float64 and 24 for float32. */
export function uniform(key: Key, shape: readonly number[], options?: UniformOptions): Tensor {
  assertKey('uniform', key);
  checkShape('uniform', shape);
  const o = checkOptions('uniform', options, UNIFORM, { hint: dtypeHint('uniform') });
  const dtype = o.dtype;
  const round = dtype === 'float32' ? Math.fround : (x: number) => x;
  // float32 bounds are rounded to float32 first, so [low, high) holds for the stored values.
  const low = round(o.low);
  const high = round(o.high);
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high) || !Number.isFinite(high - low)) {
    throw new RangeError(`uniform: need finite low < high with a finite width, got low=${o.low}, high=${o.high} (${dtype})`);
  }
  const n = sizeOf(shape);
  const out = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const s = new WordStream(key);
  const top = floatBelow(high, dtype);
  for (let i = 0; i < n; i++) {
    const u = dtype === 'float32' ? s.nextFloat32() : s.nextFloat64();
    const v = round(low + (high - low) * u);
    out[i] = v < high ? v : top; // rounding can land on `high` itself
  }
  return fromTypedArray(out, shape, dtype);
}

/** Standard normal samples (Box–Muller on pairs of 53-bit uniforms). */
export function randn(key: Key, shape: readonly number[], options?: FloatSampleOptions): Tensor {
  assertKey('randn', key);
  checkShape('randn', shape);
  const { dtype } = checkOptions('randn', options, FLOAT_SAMPLE, { hint: dtypeHint('randn') });
  const n = sizeOf(shape);
  const out = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const s = new WordStream(key);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - s.nextFloat64())); // 1 − u lies in (0, 1], so log is finite
    const theta = 2 * Math.PI * s.nextFloat64();
    out[i] = r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
  }
  return fromTypedArray(out, shape, dtype);
}

/** Booleans that are true with probability `p` ∈ [0, 1]. */
export function bernoulli(key: Key, p: number, shape: readonly number[]): Tensor {
  assertKey('bernoulli', key);
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new (typeof p === 'number' ? RangeError : TypeError)(`bernoulli: p must be a number in [0, 1], got ${fmtValue(p)}`);
  checkShape('bernoulli', shape);
  const n = sizeOf(shape);
  const out = new Uint8Array(n);
  const s = new WordStream(key);
  for (let i = 0; i < n; i++) out[i] = s.nextFloat64() < p ? 1 : 0;
  return fromTypedArray(out, shape, 'bool');
}

const INT32_MIN = -(2 ** 31);
const INT32_LIMIT = 2 ** 31;

/** Uniform int32 integers in [low, high), unbiased (rejection sampling). */
export function randint(key: Key, shape: readonly number[], low: number, high: number): Tensor {
  assertKey('randint', key);
  checkShape('randint', shape);
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < INT32_MIN || high > INT32_LIMIT) {
    throw new RangeError(`randint: low and high must be integers with -2^31 ≤ low and high ≤ 2^31, got low=${low}, high=${high}`);
  }
  if (!(low < high)) throw new RangeError(`randint: need low < high, got low=${low}, high=${high}`);
  const n = sizeOf(shape);
  const out = new Int32Array(n);
  const s = new WordStream(key);
  const range = high - low;
  for (let i = 0; i < n; i++) out[i] = low + s.nextBelow(range);
  return fromTypedArray(out, shape, 'int32');
}

/** A uniformly random permutation of 0..n−1 as int32 (Fisher–Yates driven by the key). */
export function permutation(key: Key, n: number): Tensor {
  assertKey('permutation', key);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) throw new RangeError(`permutation: n must be an integer in [0, 2^31), got ${n}`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const s = new WordStream(key);
  for (let i = n - 1; i > 0; i--) {
    const j = s.nextBelow(i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return fromTypedArray(out, [n], 'int32');
}

/** Independent ±1 values with equal probability (one random bit each). */
export function rademacher(key: Key, shape: readonly number[], options?: RademacherOptions): Tensor {
  assertKey('rademacher', key);
  checkShape('rademacher', shape);
  const { dtype } = checkOptions('rademacher', options, RADEMACHER, { hint: dtypeHint('rademacher') });
  const n = sizeOf(shape);
  const out = dtype === 'float32' ? new Float32Array(n) : dtype === 'float64' ? new Float64Array(n) : new Int32Array(n);
  const s = new WordStream(key);
  let word = 0;
  for (let i = 0; i < n; i++) {
    if (i % 32 === 0) word = s.next();
    out[i] = (word >>> (i % 32)) & 1 ? 1 : -1;
  }
  return fromTypedArray(out, shape, dtype);
}
