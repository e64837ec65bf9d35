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
import type { WebglReport } from './page.js';

// The webgl backend for real: the page bundle runs in Debian's headless Chromium, whose WebGL
// is SwiftShader (software), and compares every primitive with the cpu backend in the page.
// tfjs's default (packed) shaders are tested, as users get them; each new shader compiles in
// software, so the run takes ~20-30 s on an idle 2-core machine (the timeouts allow for load).
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`webgl tests skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

let report: WebglReport;
let consoleLines: string[] = [];
let server: Server | undefined;
let profile: string | undefined;

async function bundlePage(): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

async function serve(js: string): Promise<string> {
  const html = '<!doctype html><meta charset="utf-8"><title>ddopt webgl</title><script type="module" src="/page.js"></script>';
  server = createServer((req, res) => {
    const isJs = req.url === '/page.js';
    res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html' });
    res.end(isJs ? js : html);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`;
}

describe.skipIf(!haveChromium)('webgl backend in headless Chromium', () => {
  beforeAll(async () => {
    const url = await serve(await bundlePage());
    profile = mkdtempSync(join(tmpdir(), 'ddopt-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    try {
      const page = await context.newPage();
      page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
      // 'commit': the page computes in the same task as its script, so 'load' comes only at the end.
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForFunction(() => (globalThis as { __ddoptReport?: unknown }).__ddoptReport !== undefined, undefined, { timeout: 150_000 });
      report = (await page.evaluate(() => (globalThis as { __ddoptReport?: unknown }).__ddoptReport)) as WebglReport;
    } finally {
      await context.close();
    }
  }, 180_000);

  afterAll(() => {
    server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    consoleLines = [];
  });

  it('starts the webgl backend', () => {
    expect(report.startError, consoleLines.join('\n')).toBeUndefined();
    console.log(`webgl: ${BROWSER_CASES.length} primitive cases in ${report.casesMs} ms in the page`);
  });

  it.each(BROWSER_CASES.map((c) => [c.name] as const))('%s agrees with cpu', (name) => {
    expect(report.cases[name]).toBe('ok');
  });

  it('keeps the tfjs tensor count flat over 200 matmul+sum steps in tidy', () => {
    expect(report.leak).toBeDefined();
    expect(report.leak!.after).toBe(report.leak!.before);
    // sum(w·w) for w = [[.5, -.25], [.25, .5]]: w·w = [[.1875, -.25], [.25, .1875]].
    expect(report.leak!.last).toBeCloseTo(0.375, 6);
  });

  it('moves tensors between cpu and webgl', () => {
    expect(report.transfer).toEqual({ values: [1.5, -2, 3], backend: 'webgl', asyncValues: [1.5, -2, 3] });
  });
});
