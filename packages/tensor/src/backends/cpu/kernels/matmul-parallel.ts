import { createGemm } from './gemm-core.js';
import { microKernel } from './matmul-micro.js';

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
// Row cuts fall on multiples of the micro-kernel's 4 rows, so no thread computes ragged tiles.
const ROW_UNIT = 4;
const MAX_THREADS = 4;
// Chunks per thread: threads claim chunks as they go, so one slowed by another process or by
// V8's own background work takes fewer and nobody waits long for it. More chunks balance better
// but each packs its panels of b again, so a chunk also gets at least CHUNK_ROWS rows (packing b
// then costs under 1/CHUNK_ROWS of the chunk's multiply-adds; 4-row chunks of a 16×27×32768
// conv product made it 1.5× slower than one thread).
const CHUNKS_PER_THREAD = 3;
const CHUNK_ROWS = 32;
// The claim counter and per-chunk done flags, shared with every helper.
const queue: { next: Int32Array<ArrayBufferLike>; done: Int32Array<ArrayBufferLike> } = { next: new Int32Array(0), done: new Int32Array(0) };

const { gemmRows } = createGemm(microKernel);

/** The worker's source: rebuilds gemmRows from the same functions' text and claims row chunks of each job. */
function workerSource(): string {
  const kernels = `return (${createGemm.toString()})(${microKernel.toString()}).gemmRows;`;
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const ctrl = new Int32Array(workerData.ctrl);
let rows = null;
// esbuild's keepNames (tsx) wraps functions in __name(fn, 'name') calls: a no-op here.
try { rows = new Function('__name', ${JSON.stringify(kernels)})((f) => f); } catch {}
// Warm the JIT on both float widths before the first job, which otherwise runs unoptimized code.
try {
  for (const F of [Float64Array, Float32Array]) {
    const x = new F(48 * 48).fill(0.5);
    const y = new F(48 * 48);
    for (let i = 0; i < 20; i++) rows(x, 0, x, 0, y, 0, 48, 48, 48, 0, 48);
  }
} catch {}
const ctors = { Float32Array, Float64Array };
// A job: row chunks (cuts) that every thread, the caller included, claims one at a time from
// the shared counter next[0]; done[j] = 1 marks chunk j written.
parentPort.on('message', (job) => {
  let state = -1;
  try {
    if (rows) {
      const view = (v) => new ctors[v.type](v.buf, v.at, v.len);
      const a = view(job.a);
      const b = view(job.b);
      const c = view(job.c);
      const next = new Int32Array(job.next);
      const done = new Int32Array(job.done);
      const cuts = job.cuts;
      for (let j = Atomics.add(next, 0, 1); j < cuts.length - 1; j = Atomics.add(next, 0, 1)) {
        for (let t = Math.floor(cuts[j] / job.m); t * job.m < cuts[j + 1]; t++) {
          const i0 = Math.max(0, cuts[j] - t * job.m);
          const i1 = Math.min(job.m, cuts[j + 1] - t * job.m);
          rows(a, t * job.aStride, b, t * job.bStride, c, t * job.cStride, job.m, job.k, job.n, i0, i1);
        }
        Atomics.store(done, j, 1);
      }
      state = 1;
    }
  } catch {}
  Atomics.store(ctrl, 0, state);
  Atomics.notify(ctrl, 0);
});
`;
}

interface WorkerLike {
  postMessage(message: unknown): void;
  unref(): void;
  terminate(): unknown;
}
interface Helper {
  worker: WorkerLike;
  ctrl: Int32Array;
}
type NodeProcess = {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
  emitWarning?: (message: string) => void;
};

// undefined: not tried yet; null: single-threaded (no worker_threads, one core, or disabled).
let helpers: Helper[] | null | undefined;
const shared: Record<'a' | 'b' | 'c', SharedArrayBuffer | null> = { a: null, b: null, c: null };
let threadCap = Number.POSITIVE_INFINITY;

function nodeProcess(): NodeProcess | undefined {
  return (globalThis as { process?: NodeProcess }).process;
}

/** The thread count: DDOPT_CPU_THREADS if set, else the available cores (at most MAX_THREADS). */
function threadCount(proc: NodeProcess): number {
  const env = proc.env?.DDOPT_CPU_THREADS;
  if (env !== undefined && env !== '') {
    const t = Number(env);
    if (!Number.isInteger(t) || t < 1) throw new RangeError(`DDOPT_CPU_THREADS: expected a positive integer, got '${env}'`);
    return t;
  }
  const os = proc.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  return Math.min(MAX_THREADS, os?.availableParallelism?.() ?? 1);
}

/**
 * The helper threads, started on first use. worker_threads is looked up at run time through
 * process.getBuiltinModule (Node ≥ 20.16) so bundlers never see it; browsers stay single-threaded.
 */
function getHelpers(): Helper[] | null {
  if (helpers !== undefined) return helpers;
  helpers = null;
  const proc = nodeProcess();
  if (!proc?.getBuiltinModule) return helpers;
  const threads = threadCount(proc);
  const wt = proc.getBuiltinModule('node:worker_threads') as
    | { Worker: new (code: string, opts: { eval: true; workerData: unknown }) => WorkerLike }
    | undefined;
  if (threads < 2 || !wt?.Worker) return helpers;
  const source = workerSource();
  const started: Helper[] = [];
  for (let i = 1; i < threads; i++) {
    const ctrl = new Int32Array(new SharedArrayBuffer(4));
    const worker = new wt.Worker(source, { eval: true, workerData: { ctrl: ctrl.buffer } });
    // Never keep the process alive for an idle helper.
    worker.unref();
    started.push({ worker, ctrl });
  }
  helpers = started;
  return helpers;
}

/** Stops the helper threads and stays single-threaded from now on. */
function giveUp(reason: string): void {
  for (const h of helpers ?? []) void h.worker.terminate();
  helpers = null;
  nodeProcess()?.emitWarning?.(`@ddopt/tensor cpu matmul: ${reason}; continuing single-threaded`);
}

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
 * multiply-adds: the reused shared buffer for that role when the product will be split among
 * threads (so gemmBatch need not copy it), else a new plain array. Valid until the next product.
 */
export function gemmOperand(role: 'b' | 'c', ctor: FloatCtor, len: number, work: number): Floats {
  if (work >= PARALLEL_MIN && threadCap > 1 && (getHelpers()?.length ?? 0) > 0) return sharedView(role, ctor, len);
  return new ctor(len);
}

/** Splits rows [0, batch·m) into `parts` contiguous ranges with cuts on ROW_UNIT multiples within an item. */
function cuts(batch: number, m: number, parts: number): number[] {
  const total = batch * m;
  const out = [0];
  for (let j = 1; j < parts; j++) {
    const r = Math.round((j * total) / parts);
    const t = Math.floor(r / m);
    const i = Math.min(m, Math.round((r - t * m) / ROW_UNIT) * ROW_UNIT);
    out.push(Math.max(out[j - 1]!, t * m + i));
  }
  out.push(total);
  return out;
}

/**
 * Computes every product of the batch, sharing the rows among worker threads when the batch is
 * large enough to pay: the rows are cut into chunks that the threads, this one included, claim
 * one at a time. Results are bit-identical to one thread: each row is computed by the same gemm
 * code with the same algorithm choice (see GemmRows).
 */
export function gemmBatch(g: GemmBatch): void {
  const { a, b, c, batch, m, k, n } = g;
  const work = batch * m * k * n;
  const pool = work >= PARALLEL_MIN && batch * m >= 2 * ROW_UNIT ? getHelpers()?.slice(0, threadCap - 1) : null;
  /** Rows [r0, r1) of the whole batch, counted across items, into `into` at `intoOff`. */
  const run = (r0: number, r1: number, into: Floats, intoOff: number) => {
    for (let t = Math.floor(r0 / m); t * m < r1; t++) {
      gemmRows(a, g.aOff + t * g.aStride, b, g.bOff + t * g.bStride, into, intoOff + t * g.cStride, m, k, n, Math.max(0, r0 - t * m), Math.min(m, r1 - t * m));
    }
  };
  if (!pool || pool.length === 0) {
    run(0, batch * m, c, g.cOff);
    return;
  }
  const threads = pool.length + 1;
  const parts = Math.max(threads, Math.min(Math.ceil((batch * m) / CHUNK_ROWS), threads * CHUNKS_PER_THREAD));
  const chunks = cuts(batch, m, Math.min(Math.ceil((batch * m) / ROW_UNIT), parts));
  // Operands not already in shared memory are copied there (O(n²) against the O(n³) product).
  const aLen = (batch - 1) * g.aStride + m * k;
  const bLen = (batch - 1) * g.bStride + k * n;
  const cLen = (batch - 1) * g.cStride + m * n;
  const sa = onShared('a', a, g.aOff, aLen, true);
  const sb = onShared('b', b, g.bOff, bLen, true);
  const sc = onShared('c', c, g.cOff, cLen, false);
  if (queue.done.length < chunks.length) {
    queue.next = new Int32Array(new SharedArrayBuffer(4));
    queue.done = new Int32Array(new SharedArrayBuffer(4 * chunks.length));
  }
  queue.next[0] = 0;
  queue.done.fill(0);
  const view = (v: Floats) => ({ buf: v.buffer, at: v.byteOffset, len: v.length, type: v.constructor.name });
  const job = { a: view(sa), b: view(sb), c: view(sc), aStride: g.aStride, bStride: g.bStride, cStride: g.cStride, m, k, n, cuts: chunks, next: queue.next.buffer, done: queue.done.buffer };
  for (const h of pool) {
    Atomics.store(h.ctrl, 0, 0);
    h.worker.postMessage(job);
  }
  const start = performance.now();
  for (let j = Atomics.add(queue.next, 0, 1); j < chunks.length - 1; j = Atomics.add(queue.next, 0, 1)) {
    run(chunks[j]!, chunks[j + 1]!, sc, 0);
    Atomics.store(queue.done, j, 1);
  }
  // A helper that has not answered long after the chunks ran out is presumed lost; the chunks it
  // left unmarked are computed here (if it still writes one, it writes the same values).
  const patience = 10_000 + 20 * (performance.now() - start);
  let failed = false;
  for (const h of pool) {
    if (Atomics.wait(h.ctrl, 0, 0, patience) === 'timed-out' || Atomics.load(h.ctrl, 0) !== 1) failed = true;
  }
  if (failed) {
    for (let j = 0; j < chunks.length - 1; j++) if (Atomics.load(queue.done, j) !== 1) run(chunks[j]!, chunks[j + 1]!, sc, 0);
    giveUp('a worker thread did not answer');
  }
  // Copy back item by item: c may have gaps between items (cStride > m·n) that are not ours.
  if (sc.buffer !== c.buffer) for (let t = 0; t < batch; t++) c.set(sc.subarray(t * g.cStride, t * g.cStride + m * n), g.cOff + t * g.cStride);
}

/** How many threads the cpu backend uses for large matmul and conv2d products (1 in browsers, on one core, or with DDOPT_CPU_THREADS=1). */
export function cpuThreads(): number {
  return Math.min(threadCap, (getHelpers()?.length ?? 0) + 1);
}

/** Uses at most `max` threads from now on (benchmarks and tests compare against one thread in-process). */
export function capGemmThreads(max: number): void {
  threadCap = max;
}
