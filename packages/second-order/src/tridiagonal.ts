// Eigen-decomposition of the symmetric tridiagonal T of a Lanczos run, through @ddopt/tensor's eigh
// (ml-matrix's symmetric QL algorithm, float64 on cpu); T is at most a few hundred rows.
import { eigh, tensor } from '@ddopt/tensor';

/** @internal Eigenvalues (ascending) of tridiag(beta, alpha, beta) and the matrix S of eigenvectors, S[i][j] = row i of vector j. */
export function tridiagonalEigen(alpha: readonly number[], beta: readonly number[]): { values: number[]; vectors: number[][] } {
  const m = alpha.length;
  const t = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    t[i * m + i] = alpha[i]!;
    if (i + 1 < m) {
      t[i * m + i + 1] = beta[i]!;
      t[(i + 1) * m + i] = beta[i]!;
    }
  }
  const { values, vectors } = eigh(tensor(t, { shape: [m, m], dtype: 'float64', backend: 'cpu' }));
  const vals = Array.from(values.dataSync());
  const vecs = vectors.dataSync();
  return { values: vals, vectors: Array.from({ length: m }, (_, i) => Array.from(vecs.subarray(i * m, (i + 1) * m))) };
}
