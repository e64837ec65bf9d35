import { wasmRows } from '../wasm/gemm-wasm.js';
import type { WasmGemm } from '../wasm/module.js';
import { createGemm } from './gemm-core.js';
import { microKernel } from './matmul-micro.js';

// The cpu backend's helper threads (Node worker_threads) and how a product's rows are shared
// with them. Every thread, the caller included, claims row chunks from a shared counter and runs
// the same kernel code on them: the JavaScript gemm rebuilt from gemm-core.ts's source text, or
// its own instance of the WebAssembly gemm on the module's shared memory.

const MAX_THREADS = 4;

/** A helper thread; `memory` is the WebAssembly memory its wasm instance was built on, if any. */
export interface Helper {
  worker: WorkerLike;
  ctrl: Int32Array;
  memory?: WebAssembly.Memory;
}
interface WorkerLike {
  postMessage(message: unknown): void;
  unref(): void;
  terminate(): unknown;
}
type NodeProcess = {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
  emitWarning?: (message: string) => void;
};

// undefined: not tried yet; null: single-threaded (no worker_threads, one core, or disabled).
let helpers: Helper[] | null | undefined;
// Products shared with helpers so far (tests check that a product was split).
let sharedProducts = 0;
// The claim counter and per-chunk done flags, shared with every helper.
const queue: { next: Int32Array<ArrayBufferLike>; done: Int32Array<ArrayBufferLike> } = { next: new Int32Array(0), done: new Int32Array(0) };

/** The worker's source: the JavaScript gemm and the wasm row loop from the same functions' text; claims row chunks of each job. */
function workerSource(): string {
  const kernels = `return [(${createGemm.toString()})(${microKernel.toString()}).gemmRows, ${wasmRows.toString()}];`;
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const ctrl = new Int32Array(workerData.ctrl);
let rows = null;
let wasmRows = null;
// This thread's instance of the WebAssembly gemm (on the caller's shared memory), once sent.
let wasm = null;
// esbuild's keepNames (tsx) wraps functions in __name(fn, 'name') calls: a no-op here.
try { [rows, wasmRows] = new Function('__name', ${JSON.stringify(kernels)})((f) => f); } catch {}
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
  if (job.wasmInit) {
    try { wasm = new WebAssembly.Instance(job.wasmInit.module, { env: { memory: job.wasmInit.memory } }).exports; } catch { wasm = null; }
    return;
  }
  let state = -1;
  try {
    let run = null;
    if (job.wasm) {
      if (wasm && wasmRows) run = (r0, r1) => wasmRows(wasm, job.wasm, r0, r1, job.slot, job.workBytes);
    } else if (rows) {
      const view = (v) => new ctors[v.type](v.buf, v.at, v.len);
      const a = view(job.a);
      const b = view(job.b);
      const c = view(job.c);
      run = (r0, r1) => {
        for (let t = Math.floor(r0 / job.m); t * job.m < r1; t++) {
          const i0 = Math.max(0, r0 - t * job.m);
          const i1 = Math.min(job.m, r1 - t * job.m);
          rows(a, t * job.aStride, b, t * job.bStride, c, t * job.cStride, job.m, job.k, job.n, i0, i1);
        }
      };
    }
    if (run) {
      const next = new Int32Array(job.next);
      const done = new Int32Array(job.done);
      const cuts = job.cuts;
      for (let j = Atomics.add(next, 0, 1); j < cuts.length - 1; j = Atomics.add(next, 0, 1)) {
        run(cuts[j], cuts[j + 1]);
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
export function getHelpers(): Helper[] | null {
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

/** Sends the module and its shared memory to every helper that has no instance on that memory yet. */
export function shareWasm(pool: readonly Helper[], w: WasmGemm): void {
  for (const h of pool) {
    if (h.memory === w.memory) continue;
    h.worker.postMessage({ wasmInit: { module: w.module, memory: w.memory } });
    h.memory = w.memory;
  }
}

/**
 * Computes rows [cuts[0], cuts.at(-1)) chunk by chunk on the pool and this thread: `message(i)`
 * is posted to helper i (with the cuts and the shared queue added), `run(r0, r1)` computes rows
 * here. Every chunk is computed by exactly one thread, with the same code, so the result does
 * not depend on which thread took which chunk.
 */
export function shareRows(pool: readonly Helper[], cuts: readonly number[], message: (i: number) => object, run: (r0: number, r1: number) => void): void {
  sharedProducts++;
  if (queue.done.length < cuts.length) {
    queue.next = new Int32Array(new SharedArrayBuffer(4));
    queue.done = new Int32Array(new SharedArrayBuffer(4 * cuts.length));
  }
  queue.next[0] = 0;
  queue.done.fill(0);
  pool.forEach((h, i) => {
    Atomics.store(h.ctrl, 0, 0);
    h.worker.postMessage({ ...message(i), cuts, next: queue.next.buffer, done: queue.done.buffer });
  });
  const start = performance.now();
  for (let j = Atomics.add(queue.next, 0, 1); j < cuts.length - 1; j = Atomics.add(queue.next, 0, 1)) {
    run(cuts[j]!, cuts[j + 1]!);
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
    for (let j = 0; j < cuts.length - 1; j++) if (Atomics.load(queue.done, j) !== 1) run(cuts[j]!, cuts[j + 1]!);
    giveUp('a worker thread did not answer');
  }
}

/** How many products have been shared with helper threads in this process. */
export function sharedProductCount(): number {
  return sharedProducts;
}
