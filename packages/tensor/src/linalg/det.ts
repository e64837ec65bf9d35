import { LuDecomposition } from 'ml-matrix';
import type { Tensor } from '../tensor.js';
import { readMatrices, writeScalars } from './matrix.js';

/** Result of `slogdet`. */
export interface SlogdetResult {
  /** The determinant's sign: −1, 0 or 1, [...batch]. */
  sign: Tensor;
  /** log |det a|, −Infinity for a singular matrix, [...batch]. */
  logAbsDet: Tensor;
}

/** Sign of a permutation given as the image of 0..n−1 (−1 for an odd number of transpositions). */
function permutationSign(perm: readonly number[]): number {
  const seen = new Array<boolean>(perm.length).fill(false);
  let sign = 1;
  for (let i = 0; i < perm.length; i++) {
    if (seen[i]) continue;
    let len = 0;
    for (let j = i; !seen[j]; j = perm[j]!) {
      seen[j] = true;
      len++;
    }
    if (len % 2 === 0) sign = -sign; // a cycle of even length is an odd permutation
  }
  return sign;
}

function luSlogdet(lu: LuDecomposition, n: number): { sign: number; logAbsDet: number } {
  const u = lu.upperTriangularMatrix;
  let sign = permutationSign(lu.pivotPermutationVector);
  let logAbsDet = 0;
  for (let i = 0; i < n; i++) {
    const d = u.get(i, i);
    if (d === 0) return { sign: 0, logAbsDet: Number.NEGATIVE_INFINITY };
    if (d < 0) sign = -sign;
    logAbsDet += Math.log(Math.abs(d));
  }
  return { sign, logAbsDet };
}

/** The determinant of square matrices [..., n, n] (LU with partial pivoting). Not differentiable. */
export function det(a: Tensor): Tensor {
  const A = readMatrices('det', 'a', a, { square: true });
  return writeScalars(
    A.batch,
    A.mats.map((m) => new LuDecomposition(m).determinant),
    A.dtype,
  );
}

/**
 * Sign and log |det| of square matrices [..., n, n]: det = sign·exp(logAbsDet) without the
 * overflow or underflow of `det` for large n. Not differentiable.
 */
export function slogdet(a: Tensor): SlogdetResult {
  const A = readMatrices('slogdet', 'a', a, { square: true });
  const parts = A.mats.map((m) => luSlogdet(new LuDecomposition(m), A.rows));
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
