/**
 * Sizes shared by the WebAssembly gemm's source (gemm-wat.ts) and its JavaScript driver
 * (gemm-wasm.ts). Changing one needs `pnpm --filter @ddopt/tensor build:wasm` (the drift test fails until then).
 */

/** Register tile of one float width: MR rows × NR columns of C, NR = lanes · vectors per row. */
export interface Tile {
  /** Element bytes. */
  readonly bytes: 8 | 4;
  /** Rows of the register tile. */
  readonly mr: number;
  /** Columns of the register tile. */
  readonly nr: number;
}

// 4×4 float64 (4 rows × 2 f64x2 vectors) and 4×8 float32 (4 × 2 f32x4): 8 accumulators. V8's
// x64 code generator loads every broadcast A value of a step before the arithmetic, so 8
// accumulators + 2 B vectors + 4 A values + 1 product fit its 15 vector registers; 6×4 and 4×6
// (12 accumulators) spilled four of them to the stack in every step and ran at 60% of 4×4's
// speed, and unrolling the loop by two steps was slower too. 4×4 runs near the machine's peak for
// separate multiplies and adds (2 + 2 per cycle: 19.8 GFLOP/s in float64 and 39.8 in float32 of
// 20.8 and 41.5 on the 2.6 GHz development machine). 2×8 was as fast; 4 rows match the
// JavaScript kernel's.
export const TILES = {
  float64: { bytes: 8, mr: 4, nr: 4 },
  float32: { bytes: 4, mr: 4, nr: 8 },
} as const satisfies Record<'float64' | 'float32', Tile>;

/**
 * Depth of a k-block. The float64 kernel must split k exactly as gemm-core.ts does
 * (`kBlock` below = its blockSize(k, 256, 1)) so that every element is summed in the same order
 * and the results are bit-identical to the JavaScript kernel.
 */
export const KC = 256;
/** Rows of a packed block of A (a multiple of every MR): MC·KC·8 = 192 KiB stays in L2 (48 and 192 measured the same). */
export const MC = 96;

/** k-block depth for a product of depth k: k split into equal parts of at most KC (as gemm-core.ts). */
export function kBlock(k: number): number {
  return Math.ceil(k / Math.ceil(k / KC));
}

/** Bytes of one thread's scratch: a packed MC×KC block of A and one MR×NR edge tile (float64 sizes cover float32). */
export const WORK_BYTES = MC * KC * 8 + 8 * 8 * 8;

/** Largest memory the module may grow to, in 64 KiB pages (1 GiB); larger products use the JavaScript kernel. */
export const MAX_PAGES = 16384;

/**
 * The float32 kernel's error bound relative to Σ_p |a_ip·b_pj|: each product is rounded to float32
 * once and each term takes part in at most kBlock(k) − 1 additions inside its k-block and
 * ceil(k / kBlock(k)) − 1 across blocks, so |ĉ − c| ≤ γ_K·Σ|a||b| with K = kBlock(k) + ceil(k / kBlock(k))
 * and γ_K = K·u / (1 − K·u), u = 2^-24 (Higham, Accuracy and Stability, §3.1).
 */
export function float32Bound(k: number): number {
  const kb = kBlock(k);
  const terms = kb + Math.ceil(k / kb);
  const u = 2 ** -24;
  return (terms * u) / (1 - terms * u);
}
