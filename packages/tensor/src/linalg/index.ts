// Float64 linear algebra on the cpu backend, plain TypeScript over Float64Array with the large
// products on the cpu backend's gemm (blocked LU, Cholesky, Householder QR, Golub–Kahan SVD,
// tridiagonal-QL symmetric eigen-decomposition). Inputs are [..., m, n]: leading dimensions are a batch.
export { solve, inv } from './solve.js';
export { cholesky } from './cholesky.js';
export { pinv, type PinvOptions } from './pinv.js';
export { eigh, type EighResult } from './eigh.js';
export { svd, type SvdResult } from './svd.js';
export { qr, type QrResult } from './qr.js';
export { det, slogdet, type SlogdetResult } from './det.js';
export { norm, type NormOptions } from './norm.js';
