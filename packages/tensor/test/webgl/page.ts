// Browser entry of the webgl test (bundled with esbuild, run in headless Chromium): runs every
// shared primitive case on 'webgl' and on the cpu backend, plus memory and transfer checks, and
// leaves a JSON report on `window.__ddoptReport`.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend.js';
import { tensor } from '../../src/creation.js';
import { matmul } from '../../src/ops/matmul.js';
import { sum } from '../../src/ops/reduce.js';
import { dispose, tidy } from '../../src/scope.js';
import { numTensors, toBackend } from '../../src/transfer.js';
import { registerWebglBackend } from '../../src/webgl.js';
import { BROWSER_CASES, compareResults, runCase } from '../wasm/cases.js';

/** What the page reports back to the Node side of the test. */
export interface WebglReport {
  startError?: string;
  cases: Record<string, string>;
  casesMs?: number;
  leak?: { before: number; after: number; last: number };
  transfer?: { values: number[]; backend: string; asyncValues: number[] };
}

// webgl float32 math (exp, tanh, sums in shaders) is a few ulps looser than the cpu's.
const WEBGL_TOL = 1e-4;

async function main(): Promise<WebglReport> {
  const report: WebglReport = { cases: {} };
  registerWebglBackend();
  try {
    await initBackend('webgl');
  } catch (e) {
    report.startError = (e as Error).message;
    return report;
  }
  // tfjs-webgl runs ops on small CPU-resident inputs with its CPU kernels; force the shaders.
  tf.env().set('WEBGL_CPU_FORWARD', false);
  const t0 = performance.now();
  for (const c of BROWSER_CASES) {
    try {
      const want = runCase(c, 'cpu');
      const got = runCase(c, 'webgl');
      report.cases[c.name] = compareResults(got, want, Math.max(c.tol ?? 0, WEBGL_TOL), c.relTol) ?? 'ok';
    } catch (e) {
      report.cases[c.name] = `threw: ${(e as Error).message}`;
    }
  }
  report.casesMs = Math.round(performance.now() - t0);
  const w = tensor([[0.5, -0.25], [0.25, 0.5]], { backend: 'webgl' });
  const before = numTensors('webgl');
  let last = 0;
  for (let i = 0; i < 200; i++) last = tidy(() => sum(matmul(w, w)).item());
  report.leak = { before, after: numTensors('webgl'), last };
  const moved = toBackend(tensor([1.5, -2, 3]), 'webgl');
  report.transfer = { values: Array.from(toBackend(moved, 'cpu').dataSync()), backend: moved.backend, asyncValues: Array.from(await moved.data()) };
  dispose([w, moved]);
  return report;
}

main()
  .catch((e) => ({ startError: `page failed: ${(e as Error).stack}`, cases: {} }))
  .then((r) => {
    (globalThis as { __ddoptReport?: WebglReport }).__ddoptReport = r;
  });
