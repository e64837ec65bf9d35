import { EigenvalueDecomposition } from 'ml-matrix';
import type { Tensor } from '../tensor.js';
import { batchLabel, readMatrices, symmetrized, writeMatrices, writeVectors } from './matrix.js';

/** Result of `eigh`. */
export interface EighResult {
  /** Eigenvalues in ascending order, [..., n]. */
  values: Tensor;
  /** Orthonormal eigenvectors as columns, [..., n, n]: a·vectors[:, i] = values[i]·vectors[:, i]. */
  vectors: Tensor;
}

/**
 * Eigenvalues (ascending) and eigenvectors of symmetric a [..., n, n]. Symmetry is checked within
 * a dtype-scaled tolerance and the symmetric part is decomposed. Not differentiable.
 */
export function eigh(a: Tensor): EighResult {
  const A = readMatrices('eigh', 'a', a, { square: true, finite: true });
  const n = A.rows;
  const parts = A.mats.map((m, i) => {
    // The symmetric QL algorithm (tql2) in ml-matrix returns eigenvalues in ascending order.
    const e = new EigenvalueDecomposition(symmetrized('eigh', 'a', m, A.dtype, batchLabel(A.batch, i)), { assumeSymmetric: true });
    return { values: e.realEigenvalues, vectors: e.eigenvectorMatrix };
  });
  return {
    values: writeVectors(
      A.batch,
      parts.map((p) => p.values),
      n,
      A.dtype,
    ),
    vectors: writeMatrices(
      A.batch,
      parts.map((p) => p.vectors),
      n,
      n,
      A.dtype,
    ),
  };
}
