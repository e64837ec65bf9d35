import type { Tensor } from '../tensor.js';
import { type DenseLu, luInPlace } from './lu-dense.js';
import { readDense, writeScalars } from './matrix.js';

/** Result of `slogdet`. */
export interface SlogdetResult {
  /** The determinant's sign: −1, 0 or 1, [...batch]. */
  sign: Tensor;
  /** log |det a|, −Infinity for a singular matrix, [...batch]. */
  logAbsDet: Tensor;
}

function luSlogdet(lu: DenseLu): { sign: number; logAbsDet: number } {
  const { n } = lu;
  let sign = lu.sign;
  let logAbsDet = 0;
  for (let i = 0; i < n; i++) {
    const d = lu.lu[i * n + i]!;
    if (d === 0) return { sign: 0, logAbsDet: Number.NEGATIVE_INFINITY };
    if (d < 0) sign = -sign;
    logAbsDet += Math.log(Math.abs(d));
  }
  return { sign, logAbsDet };
}

/** det = the permutation's sign × the product of U's diagonal. */
function luDet(lu: DenseLu): number {
  let det = lu.sign;
  for (let i = 0; i < lu.n; i++) det *= lu.lu[i * lu.n + i]!;
  return det;
}

/** The determinant of square matrices [..., n, n] (LU with partial pivoting). Not differentiable. */
export function det(a: Tensor): Tensor {
  const A = readDense('det', 'a', a, { square: true });
  return writeScalars(
    A.batch,
    A.mats.map((m) => luDet(luInPlace(m, A.rows))),
    A.dtype,
  );
}

/**
 * Sign and log |det| of square matrices [..., n, n]: det = sign·exp(logAbsDet) without the
 * overflow or underflow of `det` for large n. Not differentiable.
 */
export function slogdet(a: Tensor): SlogdetResult {
  const A = readDense('slogdet', 'a', a, { square: true });
  const parts = A.mats.map((m) => luSlogdet(luInPlace(m, A.rows)));
  return {
    sign: writeScalars(
      A.batch,
      parts.map((p) => p.sign),
      A.dtype,
    ),
    logAbsDet: writeScalars(
      A.batch,
      parts.map((p) => p.logAbsDet),
      A.dtype,
    ),
  };
}
