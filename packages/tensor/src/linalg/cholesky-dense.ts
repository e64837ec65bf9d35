// Blocked right-looking Cholesky on row-major float64 (LAPACK's dpotrf, lower): each panel of NB
// columns is factored in place, the rows below it solved against its triangle, and the trailing
// matrix updated by one gemm.
import { getBlock, mm, subBlock, transposed } from './dense.js';

const NB = 64;

/**
 * @internal Overwrites the lower triangle of symmetric n×n `a` with L (L·Lᵀ = a) and zeroes the
 * upper triangle; returns false (a left partly overwritten) when a is not positive definite.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j0 = 0; j0 < n; j0 += NB) {
    const jb = Math.min(NB, n - j0);
    const j1 = j0 + jb;
    // Diagonal block: unblocked Cholesky (updates from earlier panels are already applied).
    for (let j = j0; j < j1; j++) {
      const rj = j * n;
      let s = a[rj + j]!;
      for (let k = j0; k < j; k++) s -= a[rj + k]! * a[rj + k]!;
      if (!(s > 0)) return false;
      const d = Math.sqrt(s);
      a[rj + j] = d;
      for (let i = j + 1; i < j1; i++) {
        const ri = i * n;
        let t = a[ri + j]!;
        for (let k = j0; k < j; k++) t -= a[ri + k]! * a[rj + k]!;
        a[ri + j] = t / d;
      }
    }
    if (j1 === n) break;
    // Rows below: L21 = A21·L11⁻ᵀ, a forward substitution per row.
    for (let i = j1; i < n; i++) {
      const ri = i * n;
      for (let j = j0; j < j1; j++) {
        const rj = j * n;
        let t = a[ri + j]!;
        for (let k = j0; k < j; k++) t -= a[ri + k]! * a[rj + k]!;
        a[ri + j] = t / a[rj + j]!;
      }
    }
    // Trailing update A22 −= L21·L21ᵀ on the gemm (the whole square, so it stays symmetric in storage).
    const n2 = n - j1;
    const l21 = getBlock(a, n, j1, j0, n2, jb);
    subBlock(a, n, j1, j1, n2, n2, mm(l21, transposed(l21, n2, jb), n2, jb, n2));
  }
  for (let i = 0; i < n; i++) a.fill(0, i * n + i + 1, (i + 1) * n);
  return true;
}
