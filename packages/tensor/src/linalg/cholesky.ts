import { CholeskyDecomposition } from 'ml-matrix';
import type { Tensor } from '../tensor.js';
import { batchLabel, readMatrices, symmetrized, writeMatrices } from './matrix.js';

/**
 * The lower-triangular L with L·Lᵀ = a for symmetric positive-definite a [..., n, n]. Symmetry
 * is checked within a dtype-scaled tolerance; a matrix that is not positive definite is an error.
 */
export function cholesky(a: Tensor): Tensor {
  const A = readMatrices('cholesky', 'a', a, { square: true, finite: true });
  const out = A.mats.map((m, i) => {
    const label = batchLabel(A.batch, i);
    const chol = new CholeskyDecomposition(symmetrized('cholesky', 'a', m, A.dtype, label));
    if (!chol.isPositiveDefinite()) throw new RangeError(`cholesky: a${label} is not positive definite`);
    return chol.lowerTriangularMatrix;
  });
  return writeMatrices(A.batch, out, A.rows, A.rows, A.dtype);
}
