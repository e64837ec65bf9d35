// Browser entry of the cpu-wasm test (bundled with esbuild, run in headless Chromium): checks that
// the cpu backend's WebAssembly SIMD gemm loads from the bundle on a page's main thread, that its
// float64 products have the bits of the JavaScript kernel's, and times float64 matmul; leaves a
// JSON report on `window.__ddoptReport`.
import { cpuWasm, setCpuWasm } from '../../src/backends/cpu/wasm/module.js';
import { tensor } from '../../src/creation.js';
import { matmul } from '../../src/ops/matmul.js';

/** What the page reports back to the Node side of the test. */
export interface CpuWasmReport {
  wasm: boolean;
  crossOriginIsolated: boolean;
  sameBits: Record<string, boolean>;
  float32Worst: number;
  gflops: Record<string, number>;
  error?: string;
}

function random(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296 - 0.5;
  });
}

/** float64 GFLOP/s of an n×n matmul on the cpu backend, best of `reps` calls after one warm-up. */
function gflops(n: number, reps: number): number {
  const a = tensor(random(n * n, n), { shape: [n, n], dtype: 'float64' });
  matmul(a, a).dataSync();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    matmul(a, a).dataSync();
    best = Math.min(best, performance.now() - t0);
  }
  return (2 * n ** 3) / best / 1e6;
}

function main(): CpuWasmReport {
  const report: CpuWasmReport = { wasm: cpuWasm(), crossOriginIsolated: globalThis.crossOriginIsolated === true, sameBits: {}, float32Worst: 0, gflops: {} };
  for (const [m, k, n] of [
    [37, 300, 41],
    [130, 513, 70],
  ] as const) {
    const x = tensor(random(m * k, 1), { shape: [m, k], dtype: 'float64' });
    const y = tensor(random(k * n, 2), { shape: [k, n], dtype: 'float64' });
    setCpuWasm(true);
    const w = matmul(x, y).dataSync();
    setCpuWasm(false);
    const j = matmul(x, y).dataSync();
    setCpuWasm('auto');
    report.sameBits[`${m}×${k}×${n}`] = w.every((v, i) => Object.is(v, j[i]));
    const w32 = matmul(tensor(random(m * k, 1), { shape: [m, k], dtype: 'float32' }), tensor(random(k * n, 2), { shape: [k, n], dtype: 'float32' })).dataSync();
    report.float32Worst = Math.max(report.float32Worst, ...Array.from(w32, (v, i) => Math.abs(v - j[i]!)));
  }
  for (const n of [256, 512]) report.gflops[`wasm ${n}`] = gflops(n, 8);
  setCpuWasm(false);
  report.gflops['JS 256'] = gflops(256, 4);
  setCpuWasm('auto');
  return report;
}

try {
  (globalThis as { __ddoptReport?: CpuWasmReport }).__ddoptReport = main();
} catch (e) {
  (globalThis as { __ddoptReport?: Partial<CpuWasmReport> }).__ddoptReport = { error: (e as Error).stack ?? String(e) };
}
