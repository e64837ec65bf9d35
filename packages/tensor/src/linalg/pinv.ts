import type { Tensor } from '../tensor.js';
import { checkOptions, option } from '../validate/options.js';
import { batchLabel, epsOf, readDense, writeDense } from './matrix.js';
import { pinvDense } from './svd-dense.js';

/** Options of `pinv`. */
export interface PinvOptions {
  /**
   * Singular values at most rcond × the largest one count as zero. Defaults to
   * max(m, n) × the machine epsilon of the input dtype (NumPy's default `rtol`).
   */
  rcond?: number;
}

/**
 * The Moore–Penrose pseudo-inverse [..., n, m] of a [..., m, n], through the SVD (see `svd`):
 * v·diag(1/s)·uᵀ over the singular values above the cutoff. Not differentiable.
 */
export function pinv(a: Tensor, options?: PinvOptions): Tensor {
  const A = readDense('pinv', 'a', a, { finite: true });
  const o = checkOptions('pinv', options, { rcond: option.number({ min: 0 }) }, { hint: (v) => (typeof v === 'number' ? `write pinv(a, { rcond: ${v} })` : undefined) });
  const rcond = o.rcond ?? Math.max(A.rows, A.cols) * epsOf(A.dtype);
  const out = A.mats.map((m, i) => {
    const p = pinvDense(m, A.rows, A.cols, rcond);
    if (!p) throw new RangeError(`pinv: the SVD's QR iteration on a${batchLabel(A.batch, i)} did not converge`);
    return p;
  });
  return writeDense(A.batch, out, A.cols, A.rows, A.dtype);
}
