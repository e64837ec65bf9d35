/**
 * Measures the cpu matmul kernels (WebAssembly SIMD and JavaScript) on one thread and on all of
 * cpuThreads(), against the naive triple loop, in one run:
 *   node_modules/.bin/tsx packages/tensor/src/backends/cpu/scripts/bench-matmul.ts [sizes...]
 * Prints GFLOP/s by wall time, best of several rounds; the variants take turns round by round so
 * that load from other jobs on the machine hits them alike.
 * A benchmark, not a test: apps/bench owns the published table.
 */
import { naiveMatmul } from '../kernels/matmul-naive.js';
import { capGemmThreads, gemmBatch, cpuThreads } from '../kernels/matmul-parallel.js';
import { cpuWasm, setCpuWasm } from '../wasm/module.js';

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [128, 256, 512, 1024];

/** Wall milliseconds of one call of f. */
function ms(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

let seed = 1;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296 - 0.5;
};

const threads = cpuThreads();
const wasm = cpuWasm();
console.log(`threads: ${threads} (DDOPT_CPU_THREADS=1 for one); WebAssembly SIMD gemm: ${wasm ? 'yes' : 'no (its columns repeat the JavaScript kernel)'}`);
const names = ['JS 1 f64', 'JS 1 f32', 'JS mt f64', 'wasm 1 f64', 'wasm 1 f32', 'wasm mt f64', 'wasm mt f32'] as const;
console.log(`n      naive f64  ${names.map((x) => x.padEnd(12)).join('')}wasm/JS 1 f64`);
for (const n of sizes) {
  const a = Float64Array.from({ length: n * n }, rand);
  const b = Float64Array.from({ length: n * n }, rand);
  const a32 = Float32Array.from(a);
  const b32 = Float32Array.from(b);
  const c = new Float64Array(n * n);
  const c32 = new Float32Array(n * n);
  const prod = (x: Float32Array | Float64Array, y: Float32Array | Float64Array, z: Float32Array | Float64Array) => () =>
    gemmBatch({ a: x, aOff: 0, aStride: 0, b: y, bOff: 0, bStride: 0, c: z, cOff: 0, cStride: 0, batch: 1, m: n, k: n, n });
  const variants: [(typeof names)[number], boolean, number, () => void][] = [
    ['JS 1 f64', false, 1, prod(a, b, c)],
    ['JS 1 f32', false, 1, prod(a32, b32, c32)],
    ['JS mt f64', false, threads, prod(a, b, c)],
    ['wasm 1 f64', true, 1, prod(a, b, c)],
    ['wasm 1 f32', true, 1, prod(a32, b32, c32)],
    ['wasm mt f64', true, threads, prod(a, b, c)],
    ['wasm mt f32', true, threads, prod(a32, b32, c32)],
  ];
  const best = new Map<string, number>();
  const rounds = Math.max(3, Math.min(30, Math.round(1e9 / n ** 3)));
  for (let r = 0; r <= rounds; r++) {
    for (const [name, useWasm, cap, f] of variants) {
      setCpuWasm(useWasm);
      capGemmThreads(cap);
      const t = ms(f);
      // Round 0 warms up.
      if (r > 0) best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, t));
    }
  }
  setCpuWasm('auto');
  capGemmThreads(threads);
  let naive = Number.POSITIVE_INFINITY;
  for (let r = 0; r < (n <= 512 ? 3 : 1); r++) naive = Math.min(naive, ms(() => naiveMatmul(a, b, n, n, n)));
  const gf = (t: number) => ((2 * n ** 3) / t / 1e6).toFixed(2).padEnd(12);
  console.log(`${String(n).padEnd(7)}${gf(naive).slice(0, 11)}${names.map((k) => gf(best.get(k)!)).join('')}${(best.get('JS 1 f64')! / best.get('wasm 1 f64')!).toFixed(1)}×`);
}
console.log('GFLOP/s by wall time (best of the rounds)');
