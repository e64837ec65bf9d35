import { fmtShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { eye } from './dense.js';
import { type DenseLu, luInPlace, luSolve } from './lu-dense.js';
import { assertCpuFloat, batchLabel, readDense, writeDense, writeVectors } from './matrix.js';

/** @internal LU of a square row-major n×n matrix (overwritten), refusing an exactly singular one with a message naming `op`. */
export function luOrThrow(op: string, m: Float64Array, n: number, label: string): DenseLu {
  const lu = luInPlace(m, n);
  if (lu.singular) throw new RangeError(`${op}: a${label} is singular (LU found a zero pivot)`);
  return lu;
}

/**
 * Solves a·x = b by LU with partial pivoting (blocked, trailing updates on the cpu backend's
 * gemm). `a` is [..., n, n]; `b` is a vector [n] (the same right-hand side for every matrix of
 * the batch, giving x of shape [..., n]) or matrices [..., n, k] with the same batch dimensions
 * as `a`. Not differentiable.
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  const A = readDense('solve', 'a', a, { square: true });
  assertCpuFloat('solve', 'b', b);
  if (b.dtype !== A.dtype) throw new TypeError(`solve: a is ${A.dtype} but b is ${b.dtype}; cast one explicitly`);
  const n = A.rows;
  if (b.rank === 1) {
    if (b.shape[0] !== n) throw new RangeError(`solve: b of shape ${fmtShape(b.shape)} does not match a of shape ${fmtShape(a.shape)} (need ${n} entries)`);
    const rhs = Float64Array.from(b.dataSync());
    const xs = A.mats.map((m, i) => luSolve(luOrThrow('solve', m, n, batchLabel(A.batch, i)), rhs, 1));
    return writeVectors(A.batch, xs, n, A.dtype);
  }
  const B = readDense('solve', 'b', b);
  if (B.rows !== n || !shapesEqual(B.batch, A.batch)) {
    throw new RangeError(`solve: b of shape ${fmtShape(b.shape)} does not match a of shape ${fmtShape(a.shape)} (expected [${[...A.batch, n, 'k'].join(', ')}] or [${n}])`);
  }
  const xs = A.mats.map((m, i) => luSolve(luOrThrow('solve', m, n, batchLabel(A.batch, i)), B.mats[i]!, B.cols));
  return writeDense(A.batch, xs, n, B.cols, A.dtype);
}

/** The inverse of square matrices [..., n, n] by LU; a singular matrix is an error. Not differentiable. */
export function inv(a: Tensor): Tensor {
  const A = readDense('inv', 'a', a, { square: true });
  const n = A.rows;
  const id = eye(n);
  const out = A.mats.map((m, i) => luSolve(luOrThrow('inv', m, n, batchLabel(A.batch, i)), id, n));
  return writeDense(A.batch, out, n, n, A.dtype);
}
