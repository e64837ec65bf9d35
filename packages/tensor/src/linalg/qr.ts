import { Matrix, QrDecomposition } from 'ml-matrix';
import type { Tensor } from '../tensor.js';
import { readMatrices, writeMatrices } from './matrix.js';

/** Result of `qr`. */
export interface QrResult {
  /** Orthonormal columns, [..., m, k] with k = min(m, n). */
  q: Tensor;
  /** Upper triangular (trapezoidal when m < n), [..., k, n]. */
  r: Tensor;
}

function reducedQr(m: Matrix): { q: Matrix; r: Matrix } {
  if (m.rows === 0 || m.columns === 0) return { q: new Matrix(m.rows, 0), r: new Matrix(0, m.columns) };
  if (m.rows >= m.columns) {
    const d = new QrDecomposition(m);
    return { q: d.orthogonalMatrix, r: d.upperTriangularMatrix };
  }
  // ml-matrix's Householder QR needs m ≥ n: factor the leading square block, then r = qᵀ·a.
  const q = new QrDecomposition(m.subMatrix(0, m.rows - 1, 0, m.rows - 1)).orthogonalMatrix;
  return { q, r: q.transpose().mmul(m) };
}

/** The reduced QR decomposition a = q·r of a [..., m, n] (Householder). Not differentiable. */
export function qr(a: Tensor): QrResult {
  const A = readMatrices('qr', 'a', a, { finite: true });
  const k = Math.min(A.rows, A.cols);
  const parts = A.mats.map(reducedQr);
  return {
    q: writeMatrices(
      A.batch,
      parts.map((p) => p.q),
      A.rows,
      k,
      A.dtype,
    ),
    r: writeMatrices(
      A.batch,
      parts.map((p) => p.r),
      k,
      A.cols,
      A.dtype,
    ),
  };
}
