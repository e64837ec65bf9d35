// Small dense linear algebra on Float64Arrays for the solvers' inner loops (KKT systems of a
// few dozen unknowns, refactored every interior-point iteration): LU with partial pivoting and
// Cholesky, in place, no allocation per solve. @ddopt/tensor's linalg works on tensors and
// allocates its results per call; these run on one batch element's arrays, and the LU judges
// singularity per column (KKT matrices mix entries of very different sizes).

/** An LU factorization PA = LU of an n×n matrix, packed in `lu` with the row permutation `piv`. */
export interface Lu {
  n: number;
  lu: Float64Array;
  piv: Int32Array;
}

/**
 * Factors the n×n row-major matrix `a` (overwritten) with partial pivoting. Returns undefined
 * when a pivot is below `tiny` times the largest entry its column had (numerically singular);
 * per column, because KKT matrices mix entries of very different sizes.
 */
export function luFactor(a: Float64Array, n: number, tiny = 1e-13): Lu | undefined {
  const piv = new Int32Array(n);
  const colMax = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) colMax[j] = Math.max(colMax[j]!, Math.abs(a[i * n + j]!));
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best > tiny * colMax[k]!)) return undefined;
    piv[k] = p;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j]!;
        a[k * n + j] = a[p * n + j]!;
        a[p * n + j] = t;
      }
    }
    const d = a[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k]! / d;
      a[i * n + k] = f;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) a[i * n + j]! -= f * a[k * n + j]!;
    }
  }
  return { n, lu: a, piv };
}

/** Solves A x = b in place in `b` from `luFactor`'s result. */
export function luSolve({ n, lu, piv }: Lu, b: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const p = piv[k]!;
    if (p !== k) {
      const t = b[k]!;
      b[k] = b[p]!;
      b[p] = t;
    }
  }
  for (let i = 1; i < n; i++) {
    let s = b[i]!;
    for (let j = 0; j < i; j++) s -= lu[i * n + j]! * b[j]!;
    b[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let j = i + 1; j < n; j++) s -= lu[i * n + j]! * b[j]!;
    b[i] = s / lu[i * n + i]!;
  }
}

/** Whether the symmetric n×n matrix `a` (row-major, not modified) has a Cholesky factor after adding `shift` to its diagonal. */
export function choleskyOk(a: Float64Array, n: number, shift: number): boolean {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]! + shift;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    if (!(d > 0)) return false;
    const r = Math.sqrt(d);
    l[j * n + j] = r;
    for (let i = j + 1; i < n; i++) {
      let s = (a[i * n + j]! + a[j * n + i]!) / 2;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / r;
    }
  }
  return true;
}
