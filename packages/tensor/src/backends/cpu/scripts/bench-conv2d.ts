/**
 * Times the cpu conv2d kernel on the benchmark shape (batch 64, 3×32×32 → 16 channels,
 * 3×3, padding 1) in float64 and float32, and one direct six-loop convolution for comparison:
 *   node_modules/.bin/tsx packages/tensor/src/backends/cpu/scripts/bench-conv2d.ts
 * Reports wall and CPU time (all threads), best of 12 rounds, on one thread and on cpuThreads().
 */
import { tensor } from '../../../creation.js';
import { execute } from '../../../dispatch.js';
import type { Attrs } from '../../../primitives.js';
import { capGemmThreads, cpuThreads } from '../kernels/matmul-parallel.js';

const [N, C, H, W, O, K] = [64, 3, 32, 32, 16, 3];
const attrs: Attrs<'conv2d'> = {
  stride: [1, 1],
  padding: [
    [1, 1],
    [1, 1],
  ],
  dilation: [1, 1],
  groups: 1,
};
let seed = 1;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296 - 0.5;
};
const xv = Float64Array.from({ length: N * C * H * W }, rand);
const wv = Float64Array.from({ length: O * C * K * K }, rand);

/** Best-of-`reps` [CPU ms, wall ms] of `f` after one warm-up call (CPU time counts every thread). */
function bestMs(reps: number, f: () => void): [number, number] {
  f();
  let cpu = Number.POSITIVE_INFINITY;
  let wall = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const u0 = process.cpuUsage();
    const w0 = performance.now();
    f();
    wall = Math.min(wall, performance.now() - w0);
    const u = process.cpuUsage(u0);
    cpu = Math.min(cpu, (u.user + u.system) / 1000);
  }
  return [cpu, wall];
}

/** The direct loop, as a baseline (same-padding, stride 1). */
function direct(): Float64Array {
  const out = new Float64Array(N * O * H * W);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++) {
          let s = 0;
          for (let c = 0; c < C; c++)
            for (let p = 0; p < K; p++)
              for (let q = 0; q < K; q++) {
                const h = i + p - 1;
                const v = j + q - 1;
                if (h >= 0 && h < H && v >= 0 && v < W) s += xv[((n * C + c) * H + h) * W + v]! * wv[((o * C + c) * K + p) * K + q]!;
              }
          out[((n * O + o) * H + i) * W + j] = s;
        }
  return out;
}

const flops = 2 * N * O * H * W * C * K * K;
const threads = cpuThreads();
const inputs = (['float64', 'float32'] as const).map((dtype) => {
  const x = tensor(dtype === 'float64' ? xv : Float32Array.from(xv), { shape: [N, C, H, W], dtype });
  const w = tensor(dtype === 'float64' ? wv : Float32Array.from(wv), { shape: [O, C, K, K], dtype });
  return [dtype, x, w] as const;
});
// One thread and all threads take turns, so load from other jobs hits both alike.
const best = new Map<string, [number, number]>();
for (let round = 0; round < 12; round++) {
  for (const [dtype, x, w] of inputs) {
    for (const cap of [1, threads]) {
      capGemmThreads(cap);
      const [cpu, wall] = bestMs(1, () => execute('conv2d', [x, w], attrs));
      const key = `${dtype}, ${cap} thread${cap > 1 ? 's' : ''}`;
      const [c0, w0] = best.get(key) ?? [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
      best.set(key, [Math.min(c0, cpu), Math.min(w0, wall)]);
    }
  }
}
for (const [key, [cpu, wall]] of best) {
  console.log(`cpu conv2d ${key}: ${wall.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms CPU (${(flops / wall / 1e6).toFixed(2)} GFLOP/s by wall time)`);
}
const [, ms] = bestMs(3, direct);
console.log(`direct loop float64: ${ms.toFixed(1)} ms wall (${(flops / ms / 1e6).toFixed(2)} GFLOP/s)`);
