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

// 6×4 float64 (6 rows × 2 f64x2 vectors) and 6×8 float32 (6 × 2 f32x4): 12 accumulators, two B
// vectors, one broadcast A value and one product in flight fill the 15 vector registers V8's x64
// code generator allocates (the 16th is its scratch register).
export const TILES = {
  float64: { bytes: 8, mr: 6, nr: 4 },
  float32: { bytes: 4, mr: 6, nr: 8 },
} as const satisfies Record<'float64' | 'float32', Tile>;

/**
 * Depth of a k-block. The float64 kernel must split k exactly as gemm-core.ts does
 * (`kBlock` below = its blockSize(k, 256, 1)) so that every element is summed in the same order
 * and the results are bit-identical to the JavaScript kernel.
 */
export const KC = 256;
/** Rows of a packed block of A (a multiple of every MR): MC·KC·8 = 192 KiB stays in L2. */
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
