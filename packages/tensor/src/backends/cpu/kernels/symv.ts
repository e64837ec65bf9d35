/**
 * The JavaScript symmetric matrix–vector product of the linalg routines (the reference for, and
 * fallback of, the WebAssembly SIMD `symv_f64` in wasm/gemm-wat.ts).
 */

/**
 * y[yOff + q] = Σ_p B[q][p]·v[vOff + p] for q < n, B the symmetric n×n float64 matrix whose lower
 * triangle is b[bOff + r·ld + p] (p ≤ r; the upper triangle is never read): one pass over the
 * lower triangle, each stored element loaded once for both its row's and its column's
 * contribution; rows in pairs, so each y[q] is loaded and stored once per pair.
 */
export function symvLower(b: Float64Array, bOff: number, ld: number, n: number, v: Float64Array, vOff: number, y: Float64Array, yOff: number): void {
  y.fill(0, yOff, yOff + n);
  let r = 0;
  for (; r + 1 < n; r += 2) {
    const b0 = bOff + r * ld;
    const b1 = b0 + ld;
    const v0 = v[vOff + r]!;
    const v1 = v[vOff + r + 1]!;
    let s0 = 0;
    let s1 = 0;
    for (let q = 0; q < r; q++) {
      const x0 = b[b0 + q]!;
      const x1 = b[b1 + q]!;
      const vq = v[vOff + q]!;
      s0 += x0 * vq;
      s1 += x1 * vq;
      y[yOff + q] += x0 * v0 + x1 * v1;
    }
    const x10 = b[b1 + r]!;
    y[yOff + r] += s0 + b[b0 + r]! * v0 + x10 * v1;
    y[yOff + r + 1] += s1 + x10 * v0 + b[b1 + r + 1]! * v1;
  }
  if (r < n) {
    const br = bOff + r * ld;
    const vr = v[vOff + r]!;
    let s0 = 0;
    for (let q = 0; q < r; q++) {
      const x = b[br + q]!;
      s0 += x * v[vOff + q]!;
      y[yOff + q] += x * vr;
    }
    y[yOff + r] += s0 + b[br + r]! * vr;
  }
}
