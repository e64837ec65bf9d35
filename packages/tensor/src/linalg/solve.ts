import { LuDecomposition, Matrix } from 'ml-matrix';
import { fmtShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertCpuFloat, batchLabel, readMatrices, writeMatrices, writeVectors } from './matrix.js';

/** @internal LU of a square matrix, refusing an exactly singular one with a message naming `op`. */
export function luOrThrow(op: string, m: Matrix, label: string): LuDecomposition {
  const lu = new LuDecomposition(m);
  if (lu.isSingular()) throw new RangeError(`${op}: a${label} is singular (LU found a zero pivot)`);
  return lu;
}

/**
 * Solves a·x = b by LU with partial pivoting. `a` is [..., n, n]; `b` is a vector [n] (the same
 * right-hand side for every matrix of the batch, giving x of shape [..., n]) or matrices
 * [..., n, k] with the same batch dimensions as `a`. Not differentiable.
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  const A = readMatrices('solve', 'a', a, { square: true });
  assertCpuFloat('solve', 'b', b);
  if (b.dtype !== A.dtype) throw new TypeError(`solve: a is ${A.dtype} but b is ${b.dtype}; cast one explicitly`);
  const n = A.rows;
  if (b.rank === 1) {
    if (b.shape[0] !== n) throw new RangeError(`solve: b of shape ${fmtShape(b.shape)} does not match a of shape ${fmtShape(a.shape)} (need ${n} entries)`);
    const rhs = Matrix.columnVector(Array.from(b.dataSync()));
    const xs = A.mats.map((m, i) => luOrThrow('solve', m, batchLabel(A.batch, i)).solve(rhs).getColumn(0));
    return writeVectors(A.batch, xs, n, A.dtype);
  }
  const B = readMatrices('solve', 'b', b);
  if (B.rows !== n || !shapesEqual(B.batch, A.batch)) {
    throw new RangeError(`solve: b of shape ${fmtShape(b.shape)} does not match a of shape ${fmtShape(a.shape)} (expected [${[...A.batch, n, 'k'].join(', ')}] or [${n}])`);
  }
  const xs = A.mats.map((m, i) => luOrThrow('solve', m, batchLabel(A.batch, i)).solve(B.mats[i]!));
  return writeMatrices(A.batch, xs, n, B.cols, A.dtype);
}

/** The inverse of square matrices [..., n, n] by LU; a singular matrix is an error. Not differentiable. */
export function inv(a: Tensor): Tensor {
  const A = readMatrices('inv', 'a', a, { square: true });
  const eye = Matrix.eye(A.rows, A.rows);
  const out = A.mats.map((m, i) => luOrThrow('inv', m, batchLabel(A.batch, i)).solve(eye));
  return writeMatrices(A.batch, out, A.rows, A.rows, A.dtype);
}
