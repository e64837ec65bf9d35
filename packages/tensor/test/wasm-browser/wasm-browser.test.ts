import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_CASES } from '../wasm/cases.js';
import type { WasmPageReport } from './page.js';

// '@ddopt/tensor/wasm' in a page: bundled by esbuild for the browser (the "browser" export
// condition picks src/wasm.browser.ts, whose .wasm imports become base64 as in the published
// build), served over http and run in Debian's headless Chromium. Before the browser entry, the
// subpath's createRequire broke every browser bundle. The Vite build of the published package is
// in the consumer test (scripts/consumer/run.mjs).
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`wasm browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

let report: WasmPageReport;
const consoleLines: string[] = [];
let server: Server | undefined;
let profile: string | undefined;

async function bundlePage(): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['source'],
    loader: { '.wasm': 'base64' },
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

describe.skipIf(!haveChromium)('@ddopt/tensor/wasm in headless Chromium', () => {
  beforeAll(async () => {
    const js = await bundlePage();
    const html = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>ddopt wasm</title><script type="module" src="/page.js"></script>';
    server = createServer((req, res) => {
      const isJs = req.url === '/page.js';
      res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html' });
      res.end(isJs ? js : html);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`;
    profile = mkdtempSync(join(tmpdir(), 'ddopt-chromium-'));
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args });
    try {
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') consoleLines.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
      page.on('requestfailed', (r) => consoleLines.push(`request failed: ${r.url()}`));
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForFunction(() => (globalThis as { __ddoptReport?: unknown }).__ddoptReport !== undefined, undefined, { timeout: 90_000 });
      report = (await page.evaluate(() => (globalThis as { __ddoptReport?: unknown }).__ddoptReport)) as WasmPageReport;
    } finally {
      await context.close();
    }
  }, 120_000);

  afterAll(() => {
    server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('starts the wasm backend from the inlined SIMD binary, with no console error or failed request', () => {
    expect(report.startError).toBeUndefined();
    expect(report.simd).toBe(true);
    expect(consoleLines).toEqual([]);
  });

  it('agrees with cpu on every shared primitive case', () => {
    const bad = BROWSER_CASES.map((c) => [c.name, report.cases[c.name]]).filter(([, r]) => r !== 'ok');
    expect(bad).toEqual([]);
  });

  it('keeps the tfjs tensor count flat over 200 matmul+sum steps in tidy', () => {
    expect(report.leak!.after).toBe(report.leak!.before);
    // sum(w·w) for w = [[.5, -.25], [.25, .5]]: w·w = [[.1875, -.25], [.25, .1875]].
    expect(report.leak!.last).toBeCloseTo(0.375, 6);
  });
});
