import type { Tensor } from '../tensor.js';
import { symmetricEigen } from './eigh-dense.js';
import { batchLabel, readDense, symmetrizeDense, writeDense, writeVectors } from './matrix.js';

/** Result of `eigh`. */
export interface EighResult {
  /** Eigenvalues in ascending order, [..., n]. */
  values: Tensor;
  /** Orthonormal eigenvectors as columns, [..., n, n]: a·vectors[:, i] = values[i]·vectors[:, i]. */
  vectors: Tensor;
}

/**
 * Eigenvalues (ascending) and eigenvectors of symmetric a [..., n, n]. Symmetry is checked within
 * a dtype-scaled tolerance and the symmetric part is decomposed: blocked Householder
 * tridiagonalisation, implicit QL with Wilkinson-type shifts, eigenvectors back-transformed on the
 * cpu backend's gemm. Not differentiable.
 */
export function eigh(a: Tensor): EighResult {
  const A = readDense('eigh', 'a', a, { square: true, finite: true });
  const n = A.rows;
  const parts = A.mats.map((m, i) => {
    const label = batchLabel(A.batch, i);
    const r = symmetricEigen(symmetrizeDense('eigh', 'a', m, n, A.dtype, label), n, true);
    if (!r) throw new RangeError(`eigh: the QL iteration on a${label} did not converge`);
    return { values: r.values, vectors: r.vectors! };
  });
  return {
    values: writeVectors(
      A.batch,
      parts.map((p) => p.values),
      n,
      A.dtype,
    ),
    vectors: writeDense(
      A.batch,
      parts.map((p) => p.vectors),
      n,
      n,
      A.dtype,
    ),
  };
}
