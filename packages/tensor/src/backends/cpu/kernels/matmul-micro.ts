/** Rows of the register tile: the micro-kernel keeps an MR×NR block of C in local variables. */
export const MR = 4;
/** Columns of the register tile. */
export const NR = 3;

/**
 * The register-tiled inner kernel: c[ci + i·ldc + j] += Σ_p ap[ai + p·MR + i] · bp[bi + p·NR + j]
 * for i < MR, j < NR, over `kc` steps of packed panels. Its twelve accumulators are plain locals
 * so V8 keeps them in registers (a 4×3 tile measured fastest here: 4×4 and 2×6 spill). All
 * arrays are Float64Array so the function stays monomorphic.
 */
export function microKernel(ap: Float64Array, ai: number, bp: Float64Array, bi: number, kc: number, c: Float64Array, ci: number, ldc: number): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  let c30 = 0;
  let c31 = 0;
  let c32 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = ap[ai]!;
    const a1 = ap[ai + 1]!;
    const a2 = ap[ai + 2]!;
    const a3 = ap[ai + 3]!;
    const b0 = bp[bi]!;
    const b1 = bp[bi + 1]!;
    const b2 = bp[bi + 2]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    ai += 4;
    bi += 3;
  }
  c[ci] += c00;
  c[ci + 1] += c01;
  c[ci + 2] += c02;
  ci += ldc;
  c[ci] += c10;
  c[ci + 1] += c11;
  c[ci + 2] += c12;
  ci += ldc;
  c[ci] += c20;
  c[ci + 1] += c21;
  c[ci + 2] += c22;
  ci += ldc;
  c[ci] += c30;
  c[ci + 1] += c31;
  c[ci + 2] += c32;
}
