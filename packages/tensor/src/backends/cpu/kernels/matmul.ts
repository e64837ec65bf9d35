import { allocate } from '../../../dtype.js';
import type { Kernel } from '../kernel.js';
import { MR, NR, microKernel } from './matmul-micro.js';

type Floats = Float32Array | Float64Array;

// Cache blocking (GotoBLAS order): a KC×NC panel of B is packed once per (jc, pc) and stays in
// L3/L2; an MC×KC block of A is packed per ic and stays in L2; the micro-kernel streams one
// MR-row sliver of A and one NR-column sliver of B (KC·(MR+NR)·8 bytes ≈ 14 KiB) through L1.
const KC = 256;
const MC = 128;
const NC = 1024;

/** Splits `total` into equal blocks of at most `max`, rounded up to a multiple of `unit`. */
function blockSize(total: number, max: number, unit: number): number {
  const parts = Math.ceil(total / max);
  return Math.ceil(Math.ceil(total / parts) / unit) * unit;
}

// Below this many multiply-adds packing does not pay; the simple loop is faster.
const SMALL = 24 * 24 * 24;

// Reused packing buffers (grown on demand) so repeated products do not churn the GC.
let packedA = new Float64Array(0);
let packedB = new Float64Array(0);
let scratch = new Float64Array(0);
const edge = new Float64Array(MR * NR);

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

/** Blocked c (m×n, Float64Array at cOff, pre-zeroed) += a·b. */
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
              microKernel(ap, ir * kc, bp, jr * kc, kc, c, ci, n);
            } else {
              // Edge tile: compute the full padded tile aside and add only its valid part.
              edge.fill(0);
              microKernel(ap, ir * kc, bp, jr * kc, kc, edge, 0, NR);
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

/**
 * Row-major c (m×n, at cOff) = a (m×k, at aOff) · b (k×n, at bOff), overwriting that block of c.
 * Accumulates in doubles for both float widths; a float32 c rounds once per element on store.
 */
export function gemm(a: Floats, aOff: number, b: Floats, bOff: number, c: Floats, cOff: number, m: number, k: number, n: number): void {
  if (n < NR) {
    narrow(a, aOff, b, bOff, c, cOff, m, k, n);
    return;
  }
  if (m * k * n < SMALL || m < MR) {
    simple(a, aOff, b, bOff, c, cOff, m, k, n);
    return;
  }
  if (c instanceof Float64Array) {
    c.fill(0, cOff, cOff + m * n);
    blocked(a, aOff, b, bOff, c, cOff, m, k, n);
    return;
  }
  // float32: accumulate the whole block in doubles, then round once into c.
  const acc = new Float64Array(m * n);
  blocked(a, aOff, b, bOff, acc, 0, m, k, n);
  c.set(acc, cOff);
}

/** matmul on equal-rank (≥ 2) tensors with equal batch dims: [..., m, k] · [..., k, n]. */
export const matmul: Kernel<'matmul'> = ([x, y], _attrs, out) => {
  const r = x!.shape.length;
  const m = x!.shape[r - 2]!;
  const k = x!.shape[r - 1]!;
  const n = y!.shape[r - 1]!;
  let batch = 1;
  for (let d = 0; d < r - 2; d++) batch *= x!.shape[d]!;
  const c = allocate(out.dtype, batch * m * n) as Floats;
  // infer.ts admits float dtypes only.
  for (let t = 0; t < batch; t++) gemm(x!.data as Floats, t * m * k, y!.data as Floats, t * k * n, c, t * m * n, m, k, n);
  return c;
};
