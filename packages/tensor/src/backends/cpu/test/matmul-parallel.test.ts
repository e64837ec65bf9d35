import { availableParallelism } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { naiveMatmul } from '../kernels/matmul-naive.js';
import { capGemmThreads, gemmBatch, cpuThreads } from '../kernels/matmul-parallel.js';
import { sharedProductCount } from '../kernels/worker-pool.js';
import { setCpuWasm } from '../wasm/module.js';
import { rng, run, t } from './helpers.js';

const none = {} as Record<string, never>;
const iota = (n: number) => Array.from({ length: n }, (_, i) => i);
const threads = cpuThreads();

// The JavaScript kernel's threads (matmul-wasm.test.ts checks the wasm kernel's).
beforeEach(() => setCpuWasm(false));
afterEach(() => {
  capGemmThreads(Number.POSITIVE_INFINITY);
  setCpuWasm('auto');
});

/** c for a batch of products, computed with at most `cap` threads. */
function product(cap: number, a: Float64Array | Float32Array, b: Float64Array | Float32Array, batch: number, m: number, k: number, n: number) {
  capGemmThreads(cap);
  const c = new (a.constructor as Float64ArrayConstructor)(batch * m * n);
  gemmBatch({ a, aOff: 0, aStride: m * k, b, bOff: 0, bStride: k * n, c, cOff: 0, cStride: m * n, batch, m, k, n });
  return c;
}

describe('cpu matmul on worker threads, JavaScript kernel', () => {
  it('uses one thread per core, at most 4, where Node can start workers (DDOPT_CPU_THREADS unset)', () => {
    if (process.env.DDOPT_CPU_THREADS) return;
    // process.getBuiltinModule (Node ≥ 20.16) is how the backend reaches worker_threads.
    const canStart = typeof (process as { getBuiltinModule?: unknown }).getBuiltinModule === 'function';
    expect(threads).toBe(canStart ? Math.min(4, availableParallelism()) : 1);
  });

  // Sizes above the 96³ threshold (a product is shared, counted by sharedProductCount), with ragged m
  // and a batch whose row cut falls inside an item.
  for (const [batch, m, k, n] of [[1, 130, 97, 101], [3, 45, 130, 70], [1, 257, 300, 13]] as const) {
    for (const ctor of [Float64Array, Float32Array]) {
      it(`is bit-identical to one thread: ${ctor.name} ${batch}×${m}×${k}×${n}`, () => {
        const r = rng(batch * m + k);
        const a = new ctor(iota(batch * m * k).map(() => r()));
        const b = new ctor(iota(batch * k * n).map(() => r()));
        const one = product(1, a, b, batch, m, k, n);
        const before = sharedProductCount();
        const many = product(threads, a, b, batch, m, k, n);
        expect(sharedProductCount()).toBe(before + (threads > 1 ? 1 : 0));
        expect(Buffer.from(many.buffer).equals(Buffer.from(one.buffer))).toBe(true);
        const want = naiveMatmul(Array.from(a.subarray(0, m * k)), Array.from(b.subarray(0, k * n)), m, k, n);
        const scale = want.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
        const worst = want.reduce((w, v, i) => Math.max(w, Math.abs(many[i]! - v)), 0);
        expect(worst / scale).toBeLessThan(ctor === Float64Array ? 1e-13 : 1e-6);
      });
    }
  }

  it('the matmul kernel gives the same bits on all threads as on one, with one tensor as both operands', () => {
    const r = rng(5);
    const m = 128;
    const x = t(iota(m * m).map(() => r()), [m, m]);
    const got = run('matmul', [x, x], none).dataSync();
    capGemmThreads(1);
    const alone = run('matmul', [x, x], none).dataSync();
    expect(Array.from(got)).toEqual(Array.from(alone));
  });

  for (const groups of [1, 2]) {
    it(`conv2d over a large batch gives the same bits on one thread and on all (groups ${groups})`, () => {
      const r = rng(11);
      const xs = [16, 4, 20, 20];
      const ws = [16, 4 / groups, 3, 3];
      const x = t(iota(16 * 4 * 400).map(() => r()), xs);
      const w = t(iota((16 * 4 * 9) / groups).map(() => r()), ws);
      const attrs = { stride: [1, 1], padding: [[1, 1], [1, 1]], dilation: [1, 1], groups } as never;
      const many = run('conv2d', [x, w], attrs).dataSync();
      capGemmThreads(1);
      const one = run('conv2d', [x, w], attrs).dataSync();
      expect(Array.from(many)).toEqual(Array.from(one));
    });
  }

  it('leaves the gaps between the items of c untouched (cStride > m·n)', () => {
    const r = rng(3);
    const [batch, m, k, n] = [3, 64, 100, 90];
    const a = Float64Array.from(iota(batch * m * k), () => r());
    const b = Float64Array.from(iota(batch * k * n), () => r());
    const cStride = m * n + 7;
    const c = new Float64Array(batch * cStride).fill(-5);
    gemmBatch({ a, aOff: 0, aStride: m * k, b, bOff: 0, bStride: k * n, c, cOff: 0, cStride, batch, m, k, n });
    for (let t0 = 0; t0 < batch; t0++) {
      expect(Array.from(c.subarray(t0 * cStride + m * n, (t0 + 1) * cStride))).toEqual(new Array(7).fill(-5));
      const want = naiveMatmul(Array.from(a.subarray(t0 * m * k, (t0 + 1) * m * k)), Array.from(b.subarray(t0 * k * n, (t0 + 1) * k * n)), m, k, n);
      const got = c.subarray(t0 * cStride, t0 * cStride + m * n);
      expect(want.reduce((w, v, i) => Math.max(w, Math.abs(got[i]! - v)), 0)).toBeLessThan(1e-12);
    }
  });
});
