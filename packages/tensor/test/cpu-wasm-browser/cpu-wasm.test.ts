import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CpuWasmReport } from './page.js';

// The cpu backend's WebAssembly gemm in a browser: the page bundle (the module travels inside it
// as base64, nothing else is served) runs in Debian's headless Chromium, on the main thread of a
// page that is not cross-origin isolated, so single-threaded with a plain memory.
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`cpu-wasm browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

let report: CpuWasmReport;
let consoleLines: string[] = [];
let server: Server | undefined;
let profile: string | undefined;

async function serve(): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const js = out.outputFiles[0]!.text;
  const html = '<!doctype html><meta charset="utf-8"><title>ddopt cpu wasm</title><script type="module" src="/page.js"></script>';
  server = createServer((req, res) => {
    const isJs = req.url === '/page.js';
    res.writeHead(isJs || req.url === '/' ? 200 : 404, { 'content-type': isJs ? 'text/javascript' : 'text/html' });
    res.end(isJs ? js : req.url === '/' ? html : '');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`;
}

describe.skipIf(!haveChromium)('the cpu backend in headless Chromium', () => {
  beforeAll(async () => {
    const url = await serve();
    profile = mkdtempSync(join(tmpdir(), 'ddopt-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const page = await context.newPage();
      page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForFunction(() => (globalThis as { __ddoptReport?: unknown }).__ddoptReport !== undefined, undefined, { timeout: 120_000 });
      report = (await page.evaluate(() => (globalThis as { __ddoptReport?: unknown }).__ddoptReport)) as CpuWasmReport;
    } finally {
      await context.close();
    }
  }, 150_000);

  afterAll(() => {
    server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    consoleLines = [];
  });

  it('loads the WebAssembly SIMD gemm from the bundle, on the main thread of a page that is not cross-origin isolated', () => {
    expect(report.error, consoleLines.join('\n')).toBeUndefined();
    expect(report.crossOriginIsolated).toBe(false);
    expect(report.wasm).toBe(true);
    const g = report.gflops;
    console.log(`Chromium, one thread, float64 matmul GFLOP/s: ${Object.entries(g).map(([k, v]) => `${k}: ${v.toFixed(1)}`).join(', ')}`);
  });

  it('gives the JavaScript kernel’s float64 bits, and float32 close to them', () => {
    expect(Object.values(report.sameBits)).toEqual([true, true]);
    expect(report.float32Worst).toBeLessThan(1e-4);
  });
});
