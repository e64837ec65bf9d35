import type { Tensor } from '../tensor.js';
import { batchLabel, readDense, writeDense, writeVectors } from './matrix.js';
import { thinSvdDense } from './svd-dense.js';

/** Result of `svd`. */
export interface SvdResult {
  /** Left singular vectors as columns, [..., m, k]. */
  u: Tensor;
  /** Singular values in descending order, [..., k]. */
  s: Tensor;
  /** Right singular vectors as columns, [..., n, k] (so a = u·diag(s)·vᵀ). */
  v: Tensor;
}

/**
 * The thin singular value decomposition a = u·diag(s)·vᵀ of a [..., m, n], k = min(m, n):
 * Householder QR (on the cpu backend's gemm) when m > n, Golub–Kahan bidiagonalisation of r and
 * the implicit-shift bidiagonal QR iteration. Not differentiable.
 */
export function svd(a: Tensor): SvdResult {
  const A = readDense('svd', 'a', a, { finite: true });
  const { rows: m, cols: n } = A;
  const k = Math.min(m, n);
  const parts = A.mats.map((mat, i) => {
    const r = thinSvdDense(mat, m, n);
    if (!r) throw new RangeError(`svd: the QR iteration on a${batchLabel(A.batch, i)} did not converge`);
    return r;
  });
  return {
    u: writeDense(
      A.batch,
      parts.map((p) => p.u),
      m,
      k,
      A.dtype,
    ),
    s: writeVectors(
      A.batch,
      parts.map((p) => p.s),
      k,
      A.dtype,
    ),
    v: writeDense(
      A.batch,
      parts.map((p) => p.v),
      n,
      k,
      A.dtype,
    ),
  };
}
