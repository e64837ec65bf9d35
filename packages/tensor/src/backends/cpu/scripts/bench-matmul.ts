/**
 * Measures the cpu matmul kernel against the naive triple loop, in one run:
 *   node_modules/.bin/tsx packages/tensor/src/backends/cpu/scripts/bench-matmul.ts [sizes...]
 * Prints GFLOP/s from process CPU time (robust when other jobs share the machine) and from wall time.
 * A benchmark, not a test: apps/bench owns the published table.
 */
import { gemm } from '../kernels/matmul.js';
import { naiveMatmul } from '../kernels/matmul-naive.js';

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [128, 256, 512, 1024];

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Best-of-`reps` GFLOP/s of `f` by CPU time and by wall time, after one warm-up call. */
function measure(n: number, reps: number, f: () => void): [number, number] {
  f();
  let cpu = Number.POSITIVE_INFINITY;
  let wall = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const c0 = cpuMs();
    const w0 = performance.now();
    f();
    wall = Math.min(wall, performance.now() - w0);
    cpu = Math.min(cpu, cpuMs() - c0);
  }
  const flops = 2 * n ** 3;
  return [flops / cpu / 1e6, flops / wall / 1e6];
}

let seed = 1;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296 - 0.5;
};

console.log('n      naive f64        fast f64         fast f32         speed-up f64 (cpu)');
for (const n of sizes) {
  const a = Float64Array.from({ length: n * n }, rand);
  const b = Float64Array.from({ length: n * n }, rand);
  const a32 = Float32Array.from(a);
  const b32 = Float32Array.from(b);
  const c = new Float64Array(n * n);
  const c32 = new Float32Array(n * n);
  const reps = Math.max(1, Math.round(2e9 / n ** 3));
  const naive = measure(n, Math.min(reps, 2), () => naiveMatmul(a, b, n, n, n));
  const fast = measure(n, reps, () => gemm(a, 0, b, 0, c, 0, n, n, n));
  const fast32 = measure(n, reps, () => gemm(a32, 0, b32, 0, c32, 0, n, n, n));
  const fmt = ([cpu, wall]: [number, number]) => `${cpu.toFixed(2)} (${wall.toFixed(2)})`.padEnd(17);
  console.log(`${String(n).padEnd(7)}${fmt(naive)}${fmt(fast)}${fmt(fast32)}${(fast[0] / naive[0]).toFixed(1)}×`);
}
console.log('GFLOP/s by CPU time (by wall time in parentheses)');
