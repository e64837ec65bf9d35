import { finishWasm, type PackedBatch, planWasm, wasmEligible, wasmRows } from '../wasm/gemm-wasm.js';
import { TILES, WORK_BYTES } from '../wasm/layout.js';
import { type WasmGemm, wasmGemm } from '../wasm/module.js';
import { createGemm } from './gemm-core.js';
import { microKernel } from './matmul-micro.js';
import { getHelpers, type Helper, shareRows, shareWasm } from './worker-pool.js';

type Floats = Float32Array | Float64Array;
type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;

/** A batch of equal-size products c_t = a_t · b_t, t < batch, with a_t at aOff + t·aStride (likewise b, c). */
export interface GemmBatch {
  a: Floats;
  aOff: number;
  aStride: number;
  b: Floats;
  bOff: number;
  bStride: number;
  c: Floats;
  cOff: number;
  cStride: number;
  batch: number;
  m: number;
  k: number;
  n: number;
}

// Products under this many multiply-adds stay on one thread: sharing one with workers costs
// a message round trip and copies of a and b. On the idle 2-core machine two threads won from
// 64³ (1.05×; 96³: 1.45×), and lost up to 128³ while another process kept a core busy.
const PARALLEL_MIN = 96 * 96 * 96;
// The wasm kernel is 4-10× faster per thread, so the same round trip needs a larger product: on the
// 2-core machine two threads lost to one up to 160³ (0.87× at 128³) and won from 192³ (1.35-1.4×).
const PARALLEL_MIN_WASM = 192 * 192 * 192;
// Row cuts fall on multiples of the micro-kernels' 4 rows (TILES' mr in wasm), so no
// thread computes ragged tiles.
const ROW_UNIT = 4;
// Chunks per thread: threads claim chunks as they go, so one slowed by another process or by
// V8's own background work takes fewer and nobody waits long for it. More chunks balance better
// but in JavaScript each packs its panels of b again, so a chunk also gets at least CHUNK_ROWS
// rows (packing b then costs under 1/CHUNK_ROWS of the chunk's multiply-adds; 4-row chunks of a
// 16×27×32768 conv product made it 1.5× slower than one thread). The wasm kernel packs b once.
const CHUNKS_PER_THREAD = 3;
const CHUNK_ROWS = 32;

const { gemmRows } = createGemm(microKernel);
const shared: Record<'a' | 'b' | 'c', SharedArrayBuffer | null> = { a: null, b: null, c: null };
let threadCap = Number.POSITIVE_INFINITY;

/**
 * A view of `len` elements on the shared buffer for `role`, grown by at least half when too small.
 * The buffers are kept, never replaced per product: a SharedArrayBuffer the helpers have seen is
 * freed only after their own GC runs, which an idle helper may not do for a long time.
 */
function sharedView(role: 'a' | 'b' | 'c', ctor: FloatCtor, len: number): Floats {
  const bytes = len * ctor.BYTES_PER_ELEMENT;
  let buf = shared[role];
  if (!buf || buf.byteLength < bytes) {
    buf = new SharedArrayBuffer(Math.max(bytes, Math.floor((buf?.byteLength ?? 0) * 1.5)));
    shared[role] = buf;
  }
  return new ctor(buf as unknown as ArrayBuffer, 0, len);
}

/**
 * `len` elements of x from `off` as a view on shared memory: x's own memory if it is shared
 * already, else a scratch buffer for `role`, filled with x's values when `copy` is set.
 */
function onShared(role: 'a' | 'b' | 'c', x: Floats, off: number, len: number, copy: boolean): Floats {
  const ctor = x.constructor as FloatCtor;
  if (x.buffer instanceof SharedArrayBuffer) return new ctor(x.buffer as unknown as ArrayBuffer, x.byteOffset + off * ctor.BYTES_PER_ELEMENT, len);
  const v = sharedView(role, ctor, len);
  if (copy) v.set(x.subarray(off, off + len));
  return v;
}

/**
 * An array of `len` elements (contents unspecified) for operand `role` of a product of `work`
 * multiply-adds: the reused shared buffer for that role when the JavaScript kernel will split the
 * product among threads (so gemmBatch need not copy it), else a new plain array (the wasm kernel
 * copies its operands into its own memory). Valid until the next product.
 */
export function gemmOperand(role: 'b' | 'c', ctor: FloatCtor, len: number, work: number): Floats {
  if (work >= PARALLEL_MIN && threadCap > 1 && (getHelpers()?.length ?? 0) > 0 && !wasmGemm(true)) return sharedView(role, ctor, len);
  return new ctor(len);
}

/** Splits rows [0, batch·m) into `parts` contiguous ranges with cuts on `unit` multiples within an item. */
function cuts(batch: number, m: number, parts: number, unit: number): number[] {
  const total = batch * m;
  const out = [0];
  for (let j = 1; j < parts; j++) {
    const r = Math.round((j * total) / parts);
    const t = Math.floor(r / m);
    const i = Math.min(m, Math.round((r - t * m) / unit) * unit);
    out.push(Math.max(out[j - 1]!, t * m + i));
  }
  out.push(total);
  return out;
}

/** The row chunks for `threads` threads. */
function chunksFor(batch: number, m: number, threads: number, unit: number): number[] {
  const parts = Math.max(threads, Math.min(Math.ceil((batch * m) / CHUNK_ROWS), threads * CHUNKS_PER_THREAD));
  return cuts(batch, m, Math.min(Math.ceil((batch * m) / unit), parts), unit);
}

/** The batch on the WebAssembly gemm `w`, shared with `pool` when its memory is shared; false when it does not fit (nothing done). */
function wasmBatch(g: GemmBatch | PackedBatch, w: WasmGemm, pool: readonly Helper[] | null): boolean {
  const threads = pool && w.shared ? pool.length + 1 : 1;
  const plan = planWasm(w, g, threads);
  if (!plan) return false;
  if (pool && threads > 1) {
    shareWasm(pool, w);
    const message = (i: number) => ({ wasm: plan, slot: i + 1, workBytes: WORK_BYTES });
    const unit = (plan.f32 ? TILES.float32 : TILES.float64).mr;
    shareRows(pool, chunksFor(g.batch, g.m, threads, unit), message, (r0, r1) => wasmRows(w.exports, plan, r0, r1, 0, WORK_BYTES));
  } else {
    wasmRows(w.exports, plan, 0, g.batch * g.m, 0, WORK_BYTES);
  }
  finishWasm(w, plan, g);
  return true;
}

/** The batch on the JavaScript gemm, shared with `pool` through copies of the operands in shared memory. */
function jsBatch(g: GemmBatch, pool: readonly Helper[] | null): void {
  const { a, b, c, batch, m, k, n } = g;
  /** Rows [r0, r1) of the whole batch, counted across items, into `into` at `intoOff`. */
  const run = (r0: number, r1: number, into: Floats, intoOff: number) => {
    for (let t = Math.floor(r0 / m); t * m < r1; t++) {
      gemmRows(a, g.aOff + t * g.aStride, b, g.bOff + t * g.bStride, into, intoOff + t * g.cStride, m, k, n, Math.max(0, r0 - t * m), Math.min(m, r1 - t * m));
    }
  };
  if (!pool) {
    run(0, batch * m, c, g.cOff);
    return;
  }
  // Operands not already in shared memory are copied there (O(n²) against the O(n³) product).
  const aLen = (batch - 1) * g.aStride + m * k;
  const bLen = (batch - 1) * g.bStride + k * n;
  const cLen = (batch - 1) * g.cStride + m * n;
  const sa = onShared('a', a, g.aOff, aLen, true);
  const sb = onShared('b', b, g.bOff, bLen, true);
  const sc = onShared('c', c, g.cOff, cLen, false);
  const view = (v: Floats) => ({ buf: v.buffer, at: v.byteOffset, len: v.length, type: v.constructor.name });
  const job = { a: view(sa), b: view(sb), c: view(sc), aStride: g.aStride, bStride: g.bStride, cStride: g.cStride, m, k, n };
  shareRows(pool, chunksFor(batch, m, pool.length + 1, ROW_UNIT), () => job, (r0, r1) => run(r0, r1, sc, 0));
  // Copy back item by item: c may have gaps between items (cStride > m·n) that are not ours.
  if (sc.buffer !== c.buffer) for (let t = 0; t < batch; t++) c.set(sc.subarray(t * g.cStride, t * g.cStride + m * n), g.cOff + t * g.cStride);
}

/**
 * Computes every product of the batch: on the WebAssembly SIMD gemm where it is available and
 * the JavaScript kernel would block the product too (see wasmEligible), else on the JavaScript
 * gemm; shared among worker threads when the batch is large enough to pay. The rows are cut into
 * chunks that the threads, this one included, claim one at a time. Results are bit-identical to
 * one thread: each row is computed by the same code with the same algorithm choice (see GemmRows).
 */
export function gemmBatch(g: GemmBatch): void {
  const { wasm, pool } = route(g);
  if (wasm && wasmBatch(g, wasm, pool)) return;
  jsBatch(g, pool);
}

/**
 * Like gemmBatch, on the wasm kernel only, for a batch whose B items `g.fill` writes straight into
 * the kernel's packed layout; false (nothing done, `fill` not called) where the wasm kernel does
 * not take the batch, and the caller multiplies its own B with gemmBatch.
 */
export function gemmBatchPacked(g: PackedBatch): boolean {
  const { wasm, pool } = route(g);
  return wasm !== null && wasmBatch(g, wasm, pool);
}

/** The kernel (the wasm module, or null for JavaScript) and the helper threads for a batch. */
function route(g: GemmBatch | PackedBatch): { wasm: WasmGemm | null; pool: Helper[] | null } {
  const { batch, m, k, n } = g;
  const work = batch * m * k * n;
  const splittable = batch * m >= 2 * ROW_UNIT && threadCap > 1;
  // A shared memory only once a product is large enough for the threads (which start then).
  const wasm = wasmEligible(m, k, n) ? wasmGemm(splittable && work >= PARALLEL_MIN_WASM && (getHelpers()?.length ?? 0) > 0) : null;
  const helpers = splittable && work >= (wasm ? PARALLEL_MIN_WASM : PARALLEL_MIN) ? getHelpers()?.slice(0, threadCap - 1) : null;
  return { wasm, pool: helpers && helpers.length > 0 ? helpers : null };
}

/** How many threads the cpu backend uses for large matmul and conv2d products (1 in browsers, on one core, or with DDOPT_CPU_THREADS=1). */
export function cpuThreads(): number {
  return Math.min(threadCap, (getHelpers()?.length ?? 0) + 1);
}

/** Uses at most `max` threads from now on (benchmarks and tests compare against one thread in-process). */
export function capGemmThreads(max: number): void {
  threadCap = max;
}

