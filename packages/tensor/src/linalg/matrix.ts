import { fromTypedArray } from '../creation.js';
import type { FloatDType } from '../dtype.js';
import { fmtShape, sizeOf } from '../shape.js';
import { isTensor, type Tensor } from '../tensor.js';

// Linalg accepts the float dtypes; results come back in the input's dtype.

/** @internal Throws naming `op` unless `x` is a float tensor on the cpu backend. */
export function assertCpuFloat(op: string, name: string, x: unknown): asserts x is Tensor & { dtype: FloatDType } {
  if (!isTensor(x)) throw new TypeError(`${op}: ${name} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (x.backend !== 'cpu') {
    throw new Error(`${op}: ${name} lives on the "${x.backend}" backend; linalg runs on cpu only, move it first with toBackend(${name}, 'cpu')`);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new TypeError(`${op}: ${name} must be float32 or float64, got ${x.dtype}; cast it first`);
}

/** @internal A tensor read as a batch of row-major float64 matrices (one Float64Array each). */
export interface DenseBatch {
  /** Leading (batch) dimensions; [] for a single matrix. */
  batch: number[];
  rows: number;
  cols: number;
  mats: Float64Array[];
  dtype: FloatDType;
}

/**
 * @internal Reads `x` (shape [...batch, m, n]) as row-major float64 matrices (fresh copies the
 * caller may overwrite); `square` demands m = n and `finite` refuses NaN and ±Infinity (the
 * iterative decompositions cannot handle them).
 */
export function readDense(op: string, name: string, x: unknown, options: { square?: boolean; finite?: boolean } = {}): DenseBatch {
  assertCpuFloat(op, name, x);
  if (x.rank < 2) throw new RangeError(`${op}: ${name} must be a matrix or a batch of matrices (rank ≥ 2), got shape ${fmtShape(x.shape)}`);
  const rows = x.shape[x.rank - 2]!;
  const cols = x.shape[x.rank - 1]!;
  if (options.square && rows !== cols) throw new RangeError(`${op}: ${name} must be square, got shape ${fmtShape(x.shape)}`);
  const batch = x.shape.slice(0, -2);
  const data = x.dataSync();
  if (options.finite) {
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new RangeError(`${op}: ${name} must be finite, but flat entry ${bad} is ${data[bad]}`);
  }
  const size = rows * cols;
  const mats: Float64Array[] = [];
  for (let b = 0; b < sizeOf(batch); b++) mats.push(Float64Array.from(data.subarray(b * size, (b + 1) * size)));
  return { batch, rows, cols, mats, dtype: x.dtype };
}

/** @internal Stacks row-major float64 matrices (each rows×cols) into a tensor of shape [...batch, rows, cols]. */
export function writeDense(batch: readonly number[], mats: readonly Float64Array[], rows: number, cols: number, dtype: FloatDType): Tensor {
  const size = rows * cols;
  const out = dtype === 'float32' ? new Float32Array(mats.length * size) : new Float64Array(mats.length * size);
  mats.forEach((m, b) => {
    out.set(m.subarray(0, size), b * size);
  });
  return fromTypedArray(out, [...batch, rows, cols], dtype, 'cpu');
}

/**
 * @internal The symmetric part of row-major n×n m (in place), after checking symmetry within a
 * tolerance scaled to the entries and the dtype (inputs built in floating point are rarely
 * exactly symmetric).
 */
export function symmetrizeDense(op: string, name: string, m: Float64Array, n: number, dtype: FloatDType, index: string): Float64Array {
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(m[i]!));
  const tol = Math.sqrt(epsOf(dtype)) * scale;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = m[i * n + j]!;
      const b = m[j * n + i]!;
      if (!(Math.abs(a - b) <= tol)) {
        throw new RangeError(`${op}: ${name}${index} must be symmetric, but entry (${i},${j}) = ${a} and (${j},${i}) = ${b} differ by more than ${tol.toPrecision(3)}`);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = (m[i * n + j]! + m[j * n + i]!) / 2;
      m[i * n + j] = s;
      m[j * n + i] = s;
    }
  }
  return m;
}

/** @internal Stacks equal-length float64 vectors into a tensor of shape [...batch, length]. */
export function writeVectors(batch: readonly number[], vectors: readonly ArrayLike<number>[], length: number, dtype: FloatDType): Tensor {
  const out = dtype === 'float32' ? new Float32Array(vectors.length * length) : new Float64Array(vectors.length * length);
  vectors.forEach((v, b) => {
    out.set(v, b * length);
  });
  return fromTypedArray(out, [...batch, length], dtype, 'cpu');
}

/** @internal One number per batch entry as a tensor of shape `batch`. */
export function writeScalars(batch: readonly number[], values: readonly number[], dtype: FloatDType): Tensor {
  const out = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
  return fromTypedArray(out, [...batch], dtype, 'cpu');
}

/** @internal Machine epsilon of a float dtype. */
export function epsOf(dtype: FloatDType): number {
  return dtype === 'float32' ? 2 ** -23 : 2 ** -52;
}

/** @internal " (batch entry [i,j])" for messages about one matrix of a batch, "" without a batch. */
export function batchLabel(batch: readonly number[], b: number): string {
  if (batch.length === 0) return '';
  const idx: number[] = [];
  let r = b;
  for (let d = batch.length - 1; d >= 0; d--) {
    idx.unshift(r % batch[d]!);
    r = Math.floor(r / batch[d]!);
  }
  return ` (batch entry ${fmtShape(idx)})`;
}
