import { Matrix } from 'ml-matrix';
import { fromTypedArray } from '../creation.js';
import { fmtShape, sizeOf } from '../shape.js';
import type { FloatDType } from '../dtype.js';
import { type Tensor, isTensor } from '../tensor.js';

// Linalg accepts the float dtypes; results come back in the input's dtype.

/** @internal A tensor read as a batch of float64 matrices. */
export interface MatrixBatch {
  /** Leading (batch) dimensions; [] for a single matrix. */
  batch: number[];
  rows: number;
  cols: number;
  mats: Matrix[];
  dtype: FloatDType;
}

/** @internal Throws naming `op` unless `x` is a float tensor on the cpu backend. */
export function assertCpuFloat(op: string, name: string, x: unknown): asserts x is Tensor & { dtype: FloatDType } {
  if (!isTensor(x)) throw new TypeError(`${op}: ${name} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (x.backend !== 'cpu') {
    throw new Error(`${op}: ${name} lives on the "${x.backend}" backend; linalg runs on cpu only, move it first with toBackend(${name}, 'cpu')`);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new TypeError(`${op}: ${name} must be float32 or float64, got ${x.dtype}; cast it first`);
}

/**
 * @internal Reads `x` (shape [...batch, m, n]) as float64 matrices; `square` demands m = n and
 * `finite` refuses NaN and ±Infinity (the iterative decompositions cannot handle them).
 */
export function readMatrices(op: string, name: string, x: unknown, options: { square?: boolean; finite?: boolean } = {}): MatrixBatch {
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
  const mats: Matrix[] = [];
  for (let b = 0; b < sizeOf(batch); b++) {
    const m = new Matrix(rows, cols);
    const off = b * rows * cols;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, data[off + i * cols + j]!);
    mats.push(m);
  }
  return { batch, rows, cols, mats, dtype: x.dtype };
}

/** @internal Stacks float64 matrices (each rows×cols) into a tensor of shape [...batch, rows, cols]. */
export function writeMatrices(batch: readonly number[], mats: readonly Matrix[], rows: number, cols: number, dtype: FloatDType): Tensor {
  const out = dtype === 'float32' ? new Float32Array(mats.length * rows * cols) : new Float64Array(mats.length * rows * cols);
  mats.forEach((m, b) => {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[b * rows * cols + i * cols + j] = m.get(i, j);
  });
  return fromTypedArray(out, [...batch, rows, cols], dtype, 'cpu');
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

/**
 * @internal Checks symmetry within a tolerance scaled to the entries and the dtype (inputs
 * built in floating point are rarely exactly symmetric) and returns the symmetric part.
 */
export function symmetrized(op: string, name: string, m: Matrix, dtype: FloatDType, index: string): Matrix {
  const n = m.rows;
  let scale = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(m.get(i, j)));
  const tol = Math.sqrt(epsOf(dtype)) * scale;
  const s = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = m.get(i, j);
      const b = m.get(j, i);
      if (!(Math.abs(a - b) <= tol)) {
        throw new RangeError(`${op}: ${name}${index} must be symmetric, but entry (${i},${j}) = ${a} and (${j},${i}) = ${b} differ by more than ${tol.toPrecision(3)}`);
      }
      s.set(i, j, (a + b) / 2);
    }
  }
  return s;
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
