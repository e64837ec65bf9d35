import type { Tensor } from '../tensor.js';
import { readDense, writeDense } from './matrix.js';
import { extractR, formQ, qrInPlace } from './qr-dense.js';

/** Result of `qr`. */
export interface QrResult {
  /** Orthonormal columns, [..., m, k] with k = min(m, n). */
  q: Tensor;
  /** Upper triangular (trapezoidal when m < n), [..., k, n]. */
  r: Tensor;
}

/**
 * The reduced QR decomposition a = q·r of a [..., m, n]: blocked Householder (compact WY, the
 * trailing updates on the cpu backend's gemm), r's diagonal signs as LAPACK's. Not differentiable.
 */
export function qr(a: Tensor): QrResult {
  const A = readDense('qr', 'a', a, { finite: true });
  const { rows: m, cols: n } = A;
  const k = Math.min(m, n);
  const parts = A.mats.map((mat) => {
    const f = qrInPlace(mat, m, n);
    return { q: formQ(f), r: extractR(mat, m, n) };
  });
  return {
    q: writeDense(
      A.batch,
      parts.map((p) => p.q),
      m,
      k,
      A.dtype,
    ),
    r: writeDense(
      A.batch,
      parts.map((p) => p.r),
      k,
      n,
      A.dtype,
    ),
  };
}
