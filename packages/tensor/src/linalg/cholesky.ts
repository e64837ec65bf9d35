import type { Tensor } from '../tensor.js';
import { choleskyInPlace } from './cholesky-dense.js';
import { batchLabel, readDense, symmetrizeDense, writeDense } from './matrix.js';

/**
 * The lower-triangular L with L·Lᵀ = a for symmetric positive-definite a [..., n, n]. Symmetry
 * is checked within a dtype-scaled tolerance; a matrix that is not positive definite is an error.
 * Blocked Cholesky with the trailing updates on the cpu backend's gemm.
 */
export function cholesky(a: Tensor): Tensor {
  const A = readDense('cholesky', 'a', a, { square: true, finite: true });
  const n = A.rows;
  const out = A.mats.map((m, i) => {
    const label = batchLabel(A.batch, i);
    const l = symmetrizeDense('cholesky', 'a', m, n, A.dtype, label);
    if (!choleskyInPlace(l, n)) throw new RangeError(`cholesky: a${label} is not positive definite`);
    return l;
  });
  return writeDense(A.batch, out, n, n, A.dtype);
}
