/**
 * Runs a batch of products on the WebAssembly gemm: lays the operands out in the module's memory,
 * packs each B once (so every thread reads the same packed panels), computes rows, copies C back.
 */
import type { GemmBatch } from '../kernels/matmul-parallel.js';
import { kBlock, MAX_PAGES, TILES, WORK_BYTES } from './layout.js';
import type { GemmExports, WasmGemm } from './module.js';

/** Where one batch lives in the module's memory (byte addresses and strides). */
export interface WasmPlan {
  f32: boolean;
  m: number;
  k: number;
  n: number;
  kb: number;
  batch: number;
  a: number;
  aStride: number;
  pb: number;
  pbStride: number;
  c: number;
  cStride: number;
}

/**
 * Whether the JavaScript kernel (gemm-core.ts) would take its blocked path for an m×k×n product.
 * Its other paths (n < 3, m < 4, fewer than 24³ multiply-adds) sum each element over all of k in
 * one run; those products stay in JavaScript, so both kernels choose the same summation order.
 */
export function wasmEligible(m: number, k: number, n: number): boolean {
  return n >= 3 && m >= 4 && m * k * n >= 24 * 24 * 24;
}

const align = (x: number) => Math.ceil(x / 16) * 16;

/**
 * Writes item t's B (k×n) in the kernel's packed layout into `packed` (see im2colPacked for the
 * layout, kb the k-block depth, nr the sliver width); every element, padding included.
 */
export type FillPackedB = (t: number, packed: Float32Array | Float64Array, kb: number, nr: number) => void;

/**
 * A batch whose B items are written straight into the packed layout by `fill` (conv2d's unfolded
 * input), one per item, or one for every item when `fillOnce` is set (fill called with t = 0).
 */
export type PackedBatch = Omit<GemmBatch, 'b' | 'bOff' | 'bStride'> & { fill: FillPackedB; fillOnce?: boolean; input?: Float32Array | Float64Array; wasmFill?: WasmFill; aFill?: FillA };

/**
 * `input`, when given, is copied into the module's memory first (at byte address inputAt) for
 * these two: `aFill(a, exports, aAt, inputAt)` writes the batch's A items (row-major, item t at
 * t·aStride) straight into the module's memory at aAt (a is that region as an array) instead of
 * `a` being copied there; `wasmFill(t, exports, packedAt, inputAt, kb)` writes item t's packed B
 * at packedAt instead of `fill` (conv2d's unfold_t_W and unfold_W on the samples' planes).
 */
export type FillA = (a: Float32Array | Float64Array, x: GemmExports, aAt: number, inputAt: number) => void;
export type WasmFill = (t: number, x: GemmExports, packedAt: number, inputAt: number, kb: number) => void;

/**
 * Copies the batch's a and b into the module's memory (growing it) and packs every distinct b
 * (or has `fill` write them packed); null when the batch does not fit in MAX_PAGES (the caller
 * uses the JavaScript kernel). The memory starts with one scratch slot (WORK_BYTES) per thread:
 * slot 0 is the caller's, 1.. the helpers'.
 */
export function planWasm(w: WasmGemm, g: GemmBatch | PackedBatch, threads: number): WasmPlan | null {
  const { batch, m, k, n } = g;
  const filled = 'fill' in g;
  const bStride = filled ? (g.fillOnce ? 0 : k * n) : g.bStride;
  const f32 = g.c instanceof Float32Array;
  const bytes = f32 ? 4 : 8;
  const nr = f32 ? TILES.float32.nr : TILES.float64.nr;
  const npad = Math.ceil(n / nr) * nr;
  const kb = kBlock(k);
  const aLen = (batch - 1) * g.aStride + m * k;
  const bLen = filled ? 0 : (batch - 1) * bStride + k * n;
  // One packed b per item, or one for all when the items share it (bStride 0).
  const bItems = bStride === 0 ? 1 : batch;
  const aAt = threads * WORK_BYTES;
  const bAt = align(aAt + aLen * bytes);
  const pbAt = align(bAt + bLen * bytes);
  const pbStride = bStride === 0 ? 0 : k * npad * bytes;
  const inAt = align(pbAt + bItems * k * npad * bytes);
  const inLen = filled && g.input ? g.input.length : 0;
  const cAt = align(inAt + inLen * bytes);
  const top = cAt + batch * m * n * bytes;
  if (top > MAX_PAGES * 65536) return null;
  const have = w.memory.buffer.byteLength;
  if (top > have) w.memory.grow(Math.ceil((top - have) / 65536));
  const ctor = f32 ? Float32Array : Float64Array;
  const buf = w.memory.buffer as ArrayBuffer;
  if (filled && g.input) new ctor(buf, inAt, inLen).set(g.input);
  if (filled && g.aFill) g.aFill(new ctor(buf, aAt, aLen), w.exports, aAt, inAt);
  else new ctor(buf, aAt, aLen).set(g.a.subarray(g.aOff, g.aOff + aLen));
  if (filled && g.wasmFill) {
    for (let t = 0; t < bItems; t++) g.wasmFill(t, w.exports, pbAt + t * pbStride, inAt, kb);
  } else if (filled) {
    for (let t = 0; t < bItems; t++) g.fill(t, new ctor(buf, pbAt + t * pbStride, k * npad), kb, nr);
  } else {
    new ctor(buf, bAt, bLen).set(g.b.subarray(g.bOff, g.bOff + bLen));
    const pack = f32 ? w.exports.pack_b_f32 : w.exports.pack_b_f64;
    for (let t = 0; t < bItems; t++) pack(bAt + t * bStride * bytes, k, n, kb, pbAt + t * pbStride);
  }
  return { f32, m, k, n, kb, batch, a: aAt, aStride: g.aStride * bytes, pb: pbAt, pbStride, c: cAt, cStride: m * n * bytes };
}

/**
 * Rows [r0, r1) of the whole batch (counted across items) with the scratch of `slot`.
 * Self-contained (worker threads run it from its source text).
 */
export function wasmRows(x: GemmExports, p: WasmPlan, r0: number, r1: number, slot: number, workBytes: number): void {
  const gemm = p.f32 ? x.gemm_f32 : x.gemm_f64;
  for (let t = Math.floor(r0 / p.m); t * p.m < r1; t++) {
    gemm(p.a + t * p.aStride, p.pb + t * p.pbStride, p.c + t * p.cStride, p.k, p.n, p.kb, Math.max(0, r0 - t * p.m), Math.min(p.m, r1 - t * p.m), slot * workBytes);
  }
}

/** Copies the batch's products from the module's memory into g.c, item by item (gaps in c untouched). */
export function finishWasm(w: WasmGemm, p: WasmPlan, g: GemmBatch | PackedBatch): void {
  const ctor = p.f32 ? Float32Array : Float64Array;
  const all = new ctor(w.memory.buffer as ArrayBuffer, p.c, p.batch * p.m * p.n);
  const size = p.m * p.n;
  for (let t = 0; t < p.batch; t++) g.c.set(all.subarray(t * size, (t + 1) * size), g.cOff + t * g.cStride);
}

/** The whole batch on this thread; false (nothing done) when it does not fit in the module's memory. */
export function wasmGemmBatch(w: WasmGemm, g: GemmBatch): boolean {
  const plan = planWasm(w, g, 1);
  if (!plan) return false;
  wasmRows(w.exports, plan, 0, g.batch * g.m, 0, WORK_BYTES);
  finishWasm(w, plan, g);
  return true;
}
