// Float64 linear algebra on the cpu backend, plain TypeScript over Float64Array with the large
// products on the cpu backend's gemm (blocked LU, Cholesky, Householder QR, Golub–Kahan SVD,
// tridiagonal-QL symmetric eigen-decomposition). Inputs are [..., m, n]: leading dimensions are a batch.

export { cholesky } from './cholesky.js';
export { det, type SlogdetResult, slogdet } from './det.js';
export { type EighResult, eigh } from './eigh.js';
export { type NormOptions, norm } from './norm.js';
export { type PinvOptions, pinv } from './pinv.js';
export { type QrResult, qr } from './qr.js';
export { inv, solve } from './solve.js';
export { type SvdResult, svd } from './svd.js';
