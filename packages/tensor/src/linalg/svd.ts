import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { Tensor } from '../tensor.js';
import { readMatrices, writeMatrices, writeVectors } from './matrix.js';

/** @internal A thin SVD in float64: u is m×k, s has k descending values, v is n×k, k = min(m, n). */
export function thinSvd(m: Matrix): { u: Matrix; s: number[]; v: Matrix } {
  const k = Math.min(m.rows, m.columns);
  if (k === 0) return { u: new Matrix(m.rows, 0), s: [], v: new Matrix(m.columns, 0) };
  // autoTranspose lets ml-matrix handle wide matrices through their transpose.
  const d = new SingularValueDecomposition(m, { autoTranspose: true });
  return { u: d.leftSingularVectors, s: d.diagonal.slice(0, k), v: d.rightSingularVectors };
}

/** Result of `svd`. */
export interface SvdResult {
  /** Left singular vectors as columns, [..., m, k]. */
  u: Tensor;
  /** Singular values in descending order, [..., k]. */
  s: Tensor;
  /** Right singular vectors as columns, [..., n, k] (so a = u·diag(s)·vᵀ). */
  v: Tensor;
}

/** The thin singular value decomposition a = u·diag(s)·vᵀ of a [..., m, n], k = min(m, n). Not differentiable. */
export function svd(a: Tensor): SvdResult {
  const A = readMatrices('svd', 'a', a, { finite: true });
  const k = Math.min(A.rows, A.cols);
  const parts = A.mats.map(thinSvd);
  return {
    u: writeMatrices(
      A.batch,
      parts.map((p) => p.u),
      A.rows,
      k,
      A.dtype,
    ),
    s: writeVectors(
      A.batch,
      parts.map((p) => p.s),
      k,
      A.dtype,
    ),
    v: writeMatrices(
      A.batch,
      parts.map((p) => p.v),
      A.cols,
      k,
      A.dtype,
    ),
  };
}
