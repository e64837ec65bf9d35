// `ddopt bench browser`: the built @ddopt/tensor bundle (packages/tensor/dist) times cpu matmul in
// headless Chromium and in Node, one thread each, with the same timing code: the target is the
// float64 figure in Chromium within 30% of Node's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../report/screenshot.js';
import type { BenchOptions, SuiteResult } from './types.js';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
/** Chromium's float64 matmul GFLOP/s over Node's: at least this (within 30%). */
export const BROWSER_TARGET = 0.7;

/** What `benchMatmul` returns, in either runtime. */
export interface MatmulReport {
  wasm: boolean;
  /** GFLOP/s per `${dtype} ${kernel} ${n}` (kernel 'wasm' or 'js'), median of the timed calls. */
  gflops: Record<string, number>;
  /** Whether float64 wasm and JS products have the same bits, per n. */
  sameBits: Record<string, boolean>;
  error?: string;
}

type TensorApi = typeof import('@ddopt/tensor');

// esbuild's keepNames (tsx) wraps functions in __name(fn, 'name') calls inside benchMatmul's source text: a no-op there.
const NAME_SHIM = 'const __name = (f) => f;';

/**
 * The timing code run in both runtimes (sent as source text, so it must be self-contained):
 * n×n matmul on the cpu backend with the wasm kernel and with the JavaScript one, median over
 * `reps` calls after five warm-up calls.
 */
export function benchMatmul(api: TensorApi, sizes: number[], reps: number): MatmulReport {
  const gflops: Record<string, number> = {};
  const sameBits: Record<string, boolean> = {};
  const wasm = api.cpuWasm();
  for (const n of sizes) {
    let s = n;
    const values = Array.from({ length: n * n }, () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296 - 0.5;
    });
    const bits: Record<string, ArrayLike<number>> = {};
    for (const dtype of ['float64', 'float32'] as const) {
      const a = api.tensor(values, { shape: [n, n], dtype, backend: 'cpu' });
      for (const kernel of ['wasm', 'js'] as const) {
        if (kernel === 'wasm' && !wasm) continue;
        if (kernel === 'js' && dtype === 'float32') continue;
        api.setCpuWasm(kernel === 'wasm');
        try {
          bits[`${dtype} ${kernel}`] = api.matmul(a, a).dataSync();
          // Warm-up calls: V8 tiers wasm and JavaScript up in the background, later on a loaded machine.
          for (let w = 0; w < 4; w++) api.matmul(a, a).dataSync();
          const times: number[] = [];
          for (let r = 0; r < reps; r++) {
            const t0 = performance.now();
            api.matmul(a, a).dataSync();
            times.push(performance.now() - t0);
          }
          times.sort((x, y) => x - y);
          gflops[`${dtype} ${kernel} ${n}`] = (2 * n ** 3) / times[Math.floor(reps / 2)]! / 1e6;
        } finally {
          api.setCpuWasm('auto');
        }
      }
    }
    const w = bits['float64 wasm'];
    const j = bits['float64 js'];
    if (w && j) sameBits[String(n)] = w.length === j.length && Array.prototype.every.call(w, (v: number, i: number) => Object.is(v, j[i]));
  }
  return { wasm, gflops, sameBits };
}

/** The built bundle's entry, packages/tensor/dist/index.js, or undefined when it has not been built. */
function tensorDist(): string | undefined {
  // Resolved through the workspace link; under --conditions=source this is src/index.ts.
  let dir = dirname(createRequire(import.meta.url).resolve('@ddopt/tensor'));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const entry = join(dir, 'dist', 'index.js');
  return existsSync(entry) ? entry : undefined;
}

/** Runs `benchMatmul` in a fresh Node process on the built bundle, one thread (DDOPT_CPU_THREADS=1). */
function inNode(entry: string, sizes: number[], reps: number): MatmulReport {
  const code = `import * as api from ${JSON.stringify(pathToFileURL(entry).href)};
${NAME_SHIM}
const benchMatmul = ${benchMatmul.toString()};
process.stdout.write(JSON.stringify(benchMatmul(api, ${JSON.stringify(sizes)}, ${reps})));`;
  const p = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, DDOPT_CPU_THREADS: '1' }, timeout: 300_000 });
  if (p.status !== 0) return { wasm: false, gflops: {}, sameBits: {}, error: `node exited with status ${p.status}: ${p.stderr.trim().split('\n').slice(-3).join(' ')}` };
  return JSON.parse(p.stdout) as MatmulReport;
}

/**
 * Serves the bundle (its dist folder as /dist/, ml-matrix's browser build behind an import map)
 * and a page that runs `benchMatmul` on it in headless Chromium.
 */
async function inChromium(entry: string, sizes: number[], reps: number): Promise<MatmulReport & { crossOriginIsolated?: boolean }> {
  const distDir = dirname(entry);
  // ml-matrix (tensor's linear algebra) is the bundle's one bare import: its UMD build sets
  // globalThis.mlMatrix, and a module re-exports its names.
  const requireFromTensor = createRequire(entry);
  const mlMatrix = requireFromTensor('ml-matrix') as Record<string, unknown>;
  const umd = join(dirname(requireFromTensor.resolve('ml-matrix')), 'matrix.umd.js');
  const shim = `const m = globalThis.mlMatrix;\nexport default m;\n${Object.keys(mlMatrix)
    .filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k))
    .map((k) => `export const ${k} = m.${k};`)
    .join('\n')}\n`;
  const page = `import * as api from '/dist/index.js';
${NAME_SHIM}
const benchMatmul = ${benchMatmul.toString()};
try { window.__report = { ...benchMatmul(api, ${JSON.stringify(sizes)}, ${reps}), crossOriginIsolated: globalThis.crossOriginIsolated }; }
catch (e) { window.__report = { wasm: false, gflops: {}, sameBits: {}, error: String(e && e.stack || e) }; }`;
  const html = `<!doctype html><meta charset="utf-8"><title>ddopt bench</title><script src="/ml-matrix.umd.js"></script>
<script type="importmap">{"imports":{"ml-matrix":"/ml-matrix-shim.js"}}</script><script type="module" src="/page.js"></script>`;
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!;
    const js = (body: string | Buffer) => {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(body);
    };
    if (url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html);
    } else if (url === '/page.js') js(page);
    else if (url === '/ml-matrix-shim.js') js(shim);
    else if (url === '/ml-matrix.umd.js') js(readFileSync(umd));
    else if (url.startsWith('/dist/') && normalize(join(distDir, url.slice(6))).startsWith(distDir) && existsSync(join(distDir, url.slice(6)))) js(readFileSync(join(distDir, url.slice(6))));
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const profile = mkdtempSync(join(tmpdir(), 'ddopt-bench-chromium-'));
  const consoleLines: string[] = [];
  try {
    const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
    try {
      const p = await browser.newPage();
      p.on('console', (m) => consoleLines.push(m.text()));
      p.on('pageerror', (e) => consoleLines.push(String(e)));
      await p.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await p.waitForFunction(() => (window as unknown as { __report?: unknown }).__report !== undefined, undefined, { timeout: 240_000 });
      return await p.evaluate(() => (window as unknown as { __report: MatmulReport & { crossOriginIsolated?: boolean } }).__report);
    } finally {
      await browser.close();
    }
  } catch (e) {
    return { wasm: false, gflops: {}, sameBits: {}, error: `${(e as Error).message.split('\n')[0]} ${consoleLines.slice(-3).join(' ')}` };
  } finally {
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** r merged into the best so far: each figure the higher of the two, bits same only if same in both. */
function best<T extends MatmulReport>(so: T | undefined, r: T): T {
  if (!so) return r;
  const gflops = { ...so.gflops };
  for (const [k, v] of Object.entries(r.gflops)) gflops[k] = Math.max(v, gflops[k] ?? 0);
  const sameBits = { ...so.sameBits };
  for (const [k, v] of Object.entries(r.sameBits)) sameBits[k] = v && (sameBits[k] ?? true);
  return { ...r, wasm: so.wasm && r.wasm, gflops, sameBits, error: so.error ?? r.error };
}

/** Runs the browser suite: matmul GFLOP/s of the built bundle in Chromium and in Node. */
export async function browserSuite({ quick }: BenchOptions): Promise<SuiteResult> {
  const notes: string[] = [];
  const sizes = quick ? [128] : [256, 512];
  const reps = quick ? 5 : 15;
  const entry = tensorDist();
  if (!entry) return { suite: 'browser', tables: [], notes: ['skipped: packages/tensor/dist is missing (run `pnpm --filter @ddopt/tensor build`).'], measurements: { skipped: 'no dist' } };
  if (!existsSync(CHROMIUM)) return { suite: 'browser', tables: [], notes: [`skipped: ${CHROMIUM} is absent (apt-get install chromium).`], measurements: { skipped: 'no chromium' } };
  // Rounds alternate Node and Chromium, and each figure is the better of its rounds, so load
  // from other processes on the machine hits both sides alike.
  const rounds = quick ? 1 : 2;
  let node: MatmulReport | undefined;
  let browser: (MatmulReport & { crossOriginIsolated?: boolean }) | undefined;
  for (let r = 0; r < rounds; r++) {
    node = best(node, inNode(entry, sizes, reps));
    browser = best(browser, await inChromium(entry, sizes, reps));
  }
  if (!node || !browser) throw new Error('bench browser: no rounds ran');
  for (const [where, r] of [
    ['Node', node],
    ['Chromium', browser],
  ] as const) {
    if (r.error) notes.push(`${where} failed: ${r.error}`);
    else if (!r.wasm) notes.push(`${where}: the WebAssembly SIMD kernel did not load; only the JavaScript kernel is timed.`);
  }
  notes.push(
    `The built bundle (${entry}) in both runtimes, by the same timing code (benchMatmul: median of ${reps} calls after five warm-ups; the better of ${rounds} alternating rounds), one thread each: Node with DDOPT_CPU_THREADS=1, Chromium on a page that is ${browser.crossOriginIsolated ? '' : 'not '}cross-origin isolated (the cpu backend uses no threads in browsers). Target: Chromium's float64 wasm figure ≥ ${BROWSER_TARGET}× Node's.`,
  );
  const rows: (string | number)[][] = [];
  const keys = [...new Set([...Object.keys(node.gflops), ...Object.keys(browser.gflops)])];
  for (const k of keys) {
    const [dtype, kernel, n] = k.split(' ');
    const b = browser.gflops[k];
    const nd = node.gflops[k];
    const r = b !== undefined && nd !== undefined ? b / nd : undefined;
    const target = dtype === 'float64' && kernel === 'wasm' && r !== undefined ? (r >= BROWSER_TARGET ? 'pass' : 'miss') : '—';
    rows.push([n!, dtype!, kernel!, b?.toFixed(2) ?? '—', nd?.toFixed(2) ?? '—', r === undefined ? '—' : `${r.toFixed(2)}×`, target]);
  }
  const bits = Object.entries(browser.sameBits).map(([n, same]) => `n = ${n}: ${same ? 'same' : 'DIFFERENT'}`);
  if (bits.length) notes.push(`Chromium float64 wasm vs JavaScript kernel bits: ${bits.join(', ')}.`);
  return {
    suite: 'browser',
    tables: [{ title: 'cpu matmul n×n in headless Chromium vs Node (built bundle, 1 thread): GFLOP/s', headers: ['n', 'dtype', 'kernel', 'Chromium', 'Node', 'Chromium / Node', `f64 ≥ ${BROWSER_TARGET}×`], rows }],
    notes,
    measurements: { node, browser, target: BROWSER_TARGET, chromium: CHROMIUM },
  };
}
