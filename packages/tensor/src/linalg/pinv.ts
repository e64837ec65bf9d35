import { Matrix } from 'ml-matrix';
import type { Tensor } from '../tensor.js';
import { epsOf, readMatrices, writeMatrices } from './matrix.js';
import { thinSvd } from './svd.js';
import { checkOptions, option } from '../validate/options.js';

/** Options of `pinv`. */
export interface PinvOptions {
  /**
   * Singular values at most rcond × the largest one count as zero. Defaults to
   * max(m, n) × the machine epsilon of the input dtype (NumPy's default `rtol`).
   */
  rcond?: number;
}

/** The Moore–Penrose pseudo-inverse [..., n, m] of a [..., m, n], through the SVD. Not differentiable. */
export function pinv(a: Tensor, options?: PinvOptions): Tensor {
  const A = readMatrices('pinv', 'a', a, { finite: true });
  const o = checkOptions('pinv', options, { rcond: option.number({ min: 0 }) }, { hint: (v) => (typeof v === 'number' ? `write pinv(a, { rcond: ${v} })` : undefined) });
  const rcond = o.rcond ?? Math.max(A.rows, A.cols) * epsOf(A.dtype);
  const out = A.mats.map((m) => {
    const { u, s, v } = thinSvd(m);
    const cutoff = rcond * (s[0] ?? 0);
    // a⁺ = v · diag(1/s, with small s dropped) · uᵀ
    const p = new Matrix(A.cols, A.rows);
    s.forEach((sk, k) => {
      if (!(sk > cutoff)) return;
      for (let i = 0; i < A.cols; i++) {
        const vik = v.get(i, k) / sk;
        for (let j = 0; j < A.rows; j++) p.set(i, j, p.get(i, j) + vik * u.get(j, k));
      }
    });
    return p;
  });
  return writeMatrices(A.batch, out, A.cols, A.rows, A.dtype);
}
