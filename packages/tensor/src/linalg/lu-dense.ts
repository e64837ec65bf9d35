// Blocked right-looking LU with partial pivoting on row-major float64 (LAPACK's dgetrf): each
// panel of NB columns is factored with row swaps, the block row to its right solved against its
// unit lower triangle, and the trailing matrix updated by one gemm. Triangular solves with many
// right-hand sides are blocked the same way.
import { getBlock, mm, subBlock } from './dense.js';

const NB = 64;

/** @internal An LU factorisation P·a = L·U packed in one n×n array (L unit lower, below the diagonal). */
export interface DenseLu {
  n: number;
  lu: Float64Array;
  /** perm[i] = the row of a that ended up in row i. */
  perm: Int32Array;
  /** +1 or −1: the permutation's sign. */
  sign: number;
  /** Whether some pivot is exactly zero. */
  singular: boolean;
}

/** @internal Factors n×n `a` in place. */
export function luInPlace(a: Float64Array, n: number): DenseLu {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let sign = 1;
  let singular = false;
  for (let j0 = 0; j0 < n; j0 += NB) {
    const jb = Math.min(NB, n - j0);
    const j1 = j0 + jb;
    // Panel: unblocked elimination of columns [j0, j1), swapping whole rows.
    for (let j = j0; j < j1; j++) {
      let p = j;
      let best = Math.abs(a[j * n + j]!);
      for (let i = j + 1; i < n; i++) {
        const v = Math.abs(a[i * n + j]!);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (p !== j) {
        const rp = p * n;
        const rj = j * n;
        for (let c = 0; c < n; c++) {
          const t = a[rp + c]!;
          a[rp + c] = a[rj + c]!;
          a[rj + c] = t;
        }
        const t = perm[p]!;
        perm[p] = perm[j]!;
        perm[j] = t;
        sign = -sign;
      }
      const piv = a[j * n + j]!;
      if (piv === 0) {
        singular = true;
        continue;
      }
      const rj = j * n;
      for (let i = j + 1; i < n; i++) {
        const ri = i * n;
        const l = a[ri + j]! / piv;
        a[ri + j] = l;
        if (l === 0) continue;
        for (let c = j + 1; c < j1; c++) a[ri + c] -= l * a[rj + c]!;
      }
    }
    if (j1 === n) break;
    // U12 = L11⁻¹·A12: forward substitution by rows.
    const w = n - j1;
    for (let i = j0 + 1; i < j1; i++) {
      const ri = i * n;
      for (let k = j0; k < i; k++) {
        const l = a[ri + k]!;
        if (l === 0) continue;
        const rk = k * n;
        for (let c = j1; c < n; c++) a[ri + c] -= l * a[rk + c]!;
      }
    }
    // A22 −= L21·U12 on the gemm.
    const l21 = getBlock(a, n, j1, j0, w, jb);
    const u12 = getBlock(a, n, j0, j1, jb, w);
    subBlock(a, n, j1, j1, w, w, mm(l21, u12, w, jb, w));
  }
  return { n, lu: a, perm, sign, singular };
}

/** @internal Solves (L·U)·x = P·b for n×k row-major b, returning x (a new array). */
export function luSolve(f: DenseLu, b: Float64Array, k: number): Float64Array {
  const { n, lu, perm } = f;
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) x.set(b.subarray(perm[i]! * k, perm[i]! * k + k), i * k);
  // Forward: L (unit lower), blocks of NB rows; the rows below a solved block updated by gemm.
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    for (let i = i0 + 1; i < i1; i++) {
      const ri = i * n;
      for (let j = i0; j < i; j++) {
        const l = lu[ri + j]!;
        if (l === 0) continue;
        for (let c = 0; c < k; c++) x[i * k + c] -= l * x[j * k + c]!;
      }
    }
    if (i1 < n) {
      const l = getBlock(lu, n, i1, i0, n - i1, i1 - i0);
      subBlock(x, k, i1, 0, n - i1, k, mm(l, x.subarray(i0 * k, i1 * k), n - i1, i1 - i0, k));
    }
  }
  backSubstitute(lu, n, x, k);
  return x;
}

/**
 * @internal x (n×k) ← u⁻¹·x for the upper triangle of row-major n×n u (entries below the diagonal
 * ignored), in blocks of NB rows from the bottom with the rows above updated by gemm.
 */
export function backSubstitute(u: Float64Array, n: number, x: Float64Array, k: number): void {
  const top = Math.floor((n - 1) / NB) * NB;
  for (let i0 = top; i0 >= 0; i0 -= NB) {
    const i1 = Math.min(n, i0 + NB);
    for (let i = i1 - 1; i >= i0; i--) {
      const ri = i * n;
      for (let j = i + 1; j < i1; j++) {
        const uij = u[ri + j]!;
        if (uij === 0) continue;
        for (let c = 0; c < k; c++) x[i * k + c] -= uij * x[j * k + c]!;
      }
      const d = u[ri + i]!;
      for (let c = 0; c < k; c++) x[i * k + c] /= d;
    }
    if (i0 > 0) {
      const ub = getBlock(u, n, 0, i0, i0, i1 - i0);
      subBlock(x, k, 0, 0, i0, k, mm(ub, x.subarray(i0 * k, i1 * k), i0, i1 - i0, k));
    }
  }
}
