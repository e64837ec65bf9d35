// Browser entry of the wasm-in-a-page test (bundled with esbuild as a user's bundler would, through
// the package's "browser" condition, run in headless Chromium): '@ddopt/tensor/wasm' must start
// tfjs-backend-wasm from the binaries its browser build inlines, then agree with cpu on every
// shared primitive case and keep the tfjs tensor count flat.
import { initBackend, numTensors, sum, matmul, tensor, tidy, dispose } from '@ddopt/tensor';
import '@ddopt/tensor/wasm';
import { BROWSER_CASES, compareResults, runCase } from '../wasm/cases.js';

/** What the page reports back to the Node side of the test. */
export interface WasmPageReport {
  startError?: string;
  simd?: boolean;
  cases: Record<string, string>;
  leak?: { before: number; after: number; last: number };
}

async function main(): Promise<WasmPageReport> {
  const report: WasmPageReport = { cases: {} };
  try {
    await initBackend('wasm');
  } catch (e) {
    report.startError = (e as Error).message;
    return report;
  }
  const tf = await import('@tensorflow/tfjs-core');
  report.simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  for (const c of BROWSER_CASES) {
    try {
      report.cases[c.name] = compareResults(runCase(c, 'wasm'), runCase(c, 'cpu'), Math.max(c.tol ?? 0, 1e-5), c.relTol) ?? 'ok';
    } catch (e) {
      report.cases[c.name] = `threw: ${(e as Error).message}`;
    }
  }
  const w = tensor([[0.5, -0.25], [0.25, 0.5]], { backend: 'wasm' });
  const before = numTensors('wasm');
  let last = 0;
  for (let i = 0; i < 200; i++) last = tidy(() => sum(matmul(w, w)).item());
  report.leak = { before, after: numTensors('wasm'), last };
  dispose(w);
  return report;
}

main()
  .catch((e) => ({ startError: `page failed: ${(e as Error).stack}`, cases: {} }))
  .then((r) => {
    (globalThis as { __ddoptReport?: WasmPageReport }).__ddoptReport = r;
  });
