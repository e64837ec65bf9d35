import type { microKernel } from './matmul-micro.js';

type Floats = Float32Array | Float64Array;

/** Row-major c (m×n, at cOff) = a (m×k, at aOff) · b (k×n, at bOff), overwriting that block of c. */
export type Gemm = (a: Floats, aOff: number, b: Floats, bOff: number, c: Floats, cOff: number, m: number, k: number, n: number) => void;

/**
 * Rows [i0, i1) of the product `gemm` would compute for the whole m×n block (offsets are those of
 * row 0). The algorithm is chosen from the whole block's m, k, n, so every output element gets the
 * same summation order however the rows are split: threads can share a product bit-identically.
 */
export type GemmRows = (
  a: Floats,
  aOff: number,
  b: Floats,
  bOff: number,
  c: Floats,
  cOff: number,
  m: number,
  k: number,
  n: number,
  i0: number,
  i1: number,
) => void;

/**
 * Builds the gemm kernels around a register-tiled micro-kernel (4×3, see matmul-micro.ts).
 *
 * This function must stay self-contained (no imports, no module-level references): the worker
 * threads of matmul-parallel.ts rebuild it from its source text (`createGemm.toString()`), so the
 * same code runs on every thread. Each call owns its packing buffers.
 */
export function createGemm(micro: typeof microKernel): { gemm: Gemm; gemmRows: GemmRows } {
  // Register tile of the micro-kernel: MR rows × NR columns (packB is unrolled for NR = 3).
  const MR = 4;
  const NR = 3;
  // Cache blocking (GotoBLAS order): a KC×NC panel of B is packed once per (jc, pc) and stays in
  // L3/L2; an MC×KC block of A is packed per ic and stays in L2; the micro-kernel streams one
  // MR-row sliver of A and one NR-column sliver of B (KC·(MR+NR)·8 bytes ≈ 14 KiB) through L1.
  const KC = 256;
  const MC = 128;
  const NC = 1024;
  // Below this many multiply-adds packing does not pay; the simple loop is faster.
  const SMALL = 24 * 24 * 24;

  // Reused packing buffers (grown on demand) so repeated products do not churn the GC.
  let packedA = new Float64Array(0);
  let packedB = new Float64Array(0);
  let scratch = new Float64Array(0);
  let acc32 = new Float64Array(0);
  const edge = new Float64Array(MR * NR);

  /** Splits `total` into equal blocks of at most `max`, rounded up to a multiple of `unit`. */
  function blockSize(total: number, max: number, unit: number): number {
    const parts = Math.ceil(total / max);
    return Math.ceil(Math.ceil(total / parts) / unit) * unit;
  }

  /** Packs B[pc:pc+kc, jc:jc+nc] (row stride n) into NR-column panels, zero-padding the last. */
  function packB(b: Floats, bOff: number, n: number, pc: number, kc: number, jc: number, nc: number, out: Float64Array): void {
    let o = 0;
    for (let jr = 0; jr < nc; jr += NR) {
      const w = Math.min(NR, nc - jr);
      let row = bOff + pc * n + jc + jr;
      if (w === NR) {
        // Full sliver (the common case), unrolled for NR = 3.
        for (let p = 0; p < kc; p++, row += n, o += NR) {
          out[o] = b[row]!;
          out[o + 1] = b[row + 1]!;
          out[o + 2] = b[row + 2]!;
        }
      } else {
        for (let p = 0; p < kc; p++, row += n, o += NR) {
          for (let j = 0; j < NR; j++) out[o + j] = j < w ? b[row + j]! : 0;
        }
      }
    }
  }

  /** Packs A[ic:ic+mc, pc:pc+kc] (row stride k) into MR-row panels, column by column. */
  function packA(a: Floats, aOff: number, k: number, ic: number, mc: number, pc: number, kc: number, out: Float64Array): void {
    let o = 0;
    for (let ir = 0; ir < mc; ir += MR) {
      const h = Math.min(MR, mc - ir);
      for (let i = 0; i < h; i++) {
        const row = aOff + (ic + ir + i) * k + pc;
        for (let p = 0; p < kc; p++) out[o + p * MR + i] = a[row + p]!;
      }
      for (let i = h; i < MR; i++) for (let p = 0; p < kc; p++) out[o + p * MR + i] = 0;
      o += kc * MR;
    }
  }

  /**
   * Blocked c (m×n, Float64Array at cOff, pre-zeroed) += a·b. Each element sums its k-blocks in
   * order and each k-block in order, whatever m, so the row blocking does not change results.
   */
  function blocked(a: Floats, aOff: number, b: Floats, bOff: number, c: Float64Array, cOff: number, m: number, k: number, n: number): void {
    // Balanced blocks: n = 1025 gives two blocks of 513, not 1024 + 1.
    const KB = blockSize(k, KC, 1);
    const MB = blockSize(m, MC, MR);
    const NB = blockSize(n, NC, NR);
    const bSize = KB * NB;
    const aSize = KB * MB;
    if (packedB.length < bSize) packedB = new Float64Array(bSize);
    if (packedA.length < aSize) packedA = new Float64Array(aSize);
    const ap = packedA;
    const bp = packedB;
    for (let jc = 0; jc < n; jc += NB) {
      const nc = Math.min(NB, n - jc);
      for (let pc = 0; pc < k; pc += KB) {
        const kc = Math.min(KB, k - pc);
        packB(b, bOff, n, pc, kc, jc, nc, bp);
        for (let ic = 0; ic < m; ic += MB) {
          const mc = Math.min(MB, m - ic);
          packA(a, aOff, k, ic, mc, pc, kc, ap);
          for (let jr = 0; jr < nc; jr += NR) {
            const w = Math.min(NR, nc - jr);
            for (let ir = 0; ir < mc; ir += MR) {
              const h = Math.min(MR, mc - ir);
              const ci = cOff + (ic + ir) * n + jc + jr;
              if (h === MR && w === NR) {
                micro(ap, ir * kc, bp, jr * kc, kc, c, ci, n);
              } else {
                // Edge tile: compute the full padded tile aside and add only its valid part.
                edge.fill(0);
                micro(ap, ir * kc, bp, jr * kc, kc, edge, 0, NR);
                for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) c[ci + i * n + j] += edge[i * NR + j]!;
              }
            }
          }
        }
      }
    }
  }

  /** Dot-product loop for very narrow products (n < NR, e.g. matrix·vector). */
  function narrow(a: Floats, aOff: number, b: Floats, bOff: number, c: Floats, cOff: number, m: number, k: number, n: number): void {
    for (let i = 0; i < m; i++) {
      const ai = aOff + i * k;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0, bi = bOff + j; p < k; p++, bi += n) s += a[ai + p]! * b[bi]!;
        c[cOff + i * n + j] = s;
      }
    }
  }

  /** Simple i-p-j loop with a double row accumulator, for products too small to pack. */
  function simple(a: Floats, aOff: number, b: Floats, bOff: number, c: Floats, cOff: number, m: number, k: number, n: number): void {
    // Reuse the row buffer for ordinary widths; a huge one is not kept alive after the call.
    if (scratch.length < n && n <= 1 << 16) scratch = new Float64Array(n);
    const row = scratch.length >= n ? scratch : new Float64Array(n);
    for (let i = 0; i < m; i++) {
      row.fill(0, 0, n);
      for (let p = 0; p < k; p++) {
        const x = a[aOff + i * k + p]!;
        const bo = bOff + p * n;
        for (let j = 0; j < n; j++) row[j] += x * b[bo + j]!;
      }
      for (let j = 0; j < n; j++) c[cOff + i * n + j] = row[j]!;
    }
  }

  const gemmRows: GemmRows = (a, aOff, b, bOff, c, cOff, m, k, n, i0, i1) => {
    const rows = i1 - i0;
    if (rows <= 0) return;
    // Shift to row i0: every path below treats its rows independently.
    aOff += i0 * k;
    cOff += i0 * n;
    if (n < NR) {
      narrow(a, aOff, b, bOff, c, cOff, rows, k, n);
    } else if (m * k * n < SMALL || m < MR) {
      simple(a, aOff, b, bOff, c, cOff, rows, k, n);
    } else if (c instanceof Float64Array) {
      c.fill(0, cOff, cOff + rows * n);
      blocked(a, aOff, b, bOff, c, cOff, rows, k, n);
    } else {
      // float32: accumulate the rows in doubles, then round once into c. The accumulator is kept
      // for the next call up to 2^20 doubles (8 MiB); larger ones are not kept alive.
      if (acc32.length < rows * n && rows * n <= 1 << 20) acc32 = new Float64Array(rows * n);
      const acc = acc32.length >= rows * n ? acc32.subarray(0, rows * n) : new Float64Array(rows * n);
      acc.fill(0);
      blocked(a, aOff, b, bOff, acc, 0, rows, k, n);
      c.set(acc, cOff);
    }
  };
  const gemm: Gemm = (a, aOff, b, bOff, c, cOff, m, k, n) => gemmRows(a, aOff, b, bOff, c, cOff, m, k, n, 0, m);
  return { gemm, gemmRows };
}
