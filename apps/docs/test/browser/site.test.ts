// The built site in Debian's headless Chromium, served from 127.0.0.1: every page loads without
// console errors, failed requests or requests to any other host; the API pages document every
// exported function; each playground runs and its loss goes down; a URL with state loads that
// state; screenshots are saved in apps/docs/test-results/. Build the site first (`pnpm run docs`).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from './serve.js';

const CHROMIUM = '/usr/bin/chromium';
const docsDir = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(docsDir, 'dist');
const shots = join(docsDir, 'test-results');
// The flags of the workplace's headless Chromium, plus SwiftShader so the webgl backend runs (slowly, correctly) without a GPU.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

if (!existsSync(CHROMIUM)) throw new Error(`the docs browser test needs ${CHROMIUM} (apt-get install -y chromium)`);
if (!existsSync(join(dist, 'index.html'))) throw new Error(`no built site in ${dist}: run \`npx -y pnpm@10.34.8 run docs\` first`);

interface Generated {
  packages: { name: string; version: string }[];
  pendingChangesets: number;
  apiNames: Record<string, { name: string; kind: string }[]>;
  apiSidebar: { text: string; link?: string; items?: Generated['apiSidebar'] }[];
}
const generated = JSON.parse(readFileSync(join(docsDir, 'site', '.vitepress', 'generated.json'), 'utf8')) as Generated;

let origin = '';
let server: Server;
let context: BrowserContext;
let profile: string;

/** What went wrong on a page: console errors, uncaught exceptions, failed or foreign requests. */
interface Trouble {
  errors: string[];
}

async function open(path: string): Promise<{ page: Page; trouble: Trouble }> {
  const page = await context.newPage();
  const trouble: Trouble = { errors: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') trouble.errors.push(`console.error on ${path}: ${m.text()}`);
  });
  page.on('pageerror', (e) => trouble.errors.push(`uncaught on ${path}: ${e.message}`));
  page.on('requestfailed', (r) => trouble.errors.push(`request failed on ${path}: ${r.url()} (${r.failure()?.errorText})`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) trouble.errors.push(`request to another host from ${path}: ${u}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) trouble.errors.push(`HTTP ${r.status()} on ${path}: ${r.url()}`);
  });
  await page.goto(`${origin}${path}`, { waitUntil: 'load' });
  return { page, trouble };
}

/** Waits until the page's playground has finished a run (its root's data-status), and returns it. */
async function finished(page: Page, timeout = 60_000): Promise<string> {
  const el = page.locator('.ddopt-playground [data-status]').first();
  await page.waitForFunction(() => {
    const s = document.querySelector('.ddopt-playground [data-status]')?.getAttribute('data-status');
    return s !== undefined && s !== null && s !== 'loading' && s !== 'running';
  }, undefined, { timeout });
  return (await el.getAttribute('data-status')) ?? '';
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

function htmlPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'assets' ? [] : htmlPages(p);
    return name.endsWith('.html') && name !== '404.html' ? [`/${relative(dist, p)}`] : [];
  });
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  ({ url: origin, server } = await serveStatic(dist));
  profile = mkdtempSync(join(tmpdir(), 'ddopt-docs-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the built docs site', () => {
  it('loads every page without console errors, failed requests or requests beyond localhost', async () => {
    const pages = htmlPages(dist);
    expect(pages.length).toBeGreaterThan(25);
    const errors: string[] = [];
    for (const path of pages) {
      const { page, trouble } = await open(path);
      // The theme hydrates after load; a playground starts its module then.
      await page.waitForSelector('.VPContent', { timeout: 15_000 });
      if (path.startsWith('/playground/')) await page.waitForTimeout(300);
      errors.push(...trouble.errors);
      await page.close();
    }
    expect(errors).toEqual([]);
  }, 180_000);

  it('documents every exported function of every package entry on its API page', async () => {
    const links = new Map<string, string>();
    const walk = (items: Generated['apiSidebar']) => {
      for (const i of items) {
        if (i.link && i.text.startsWith('@ddopt/')) links.set(i.text, i.link);
        walk(i.items ?? []);
      }
    };
    walk(generated.apiSidebar);
    const missing: string[] = [];
    let functions = 0;
    for (const [entry, names] of Object.entries(generated.apiNames)) {
      const link = links.get(entry);
      expect(link, `no API page for ${entry}`).toBeDefined();
      const { page, trouble } = await open(link!.replace(/\.md$/, '.html').replace(/\/$/, '/index.html'));
      const headings = new Set((await page.locator('h3').allInnerTexts()).map((t) => t.replace(/\u200b/g, '').trim()));
      for (const n of names.filter((x) => x.kind === 'Function')) {
        functions++;
        if (![...headings].some((h) => h.startsWith(`${n.name}()`))) missing.push(`${entry}: ${n.name}`);
      }
      expect(trouble.errors).toEqual([]);
      await page.close();
    }
    expect(functions).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  }, 60_000);

  it('shows the versions it was built from and the pending changesets', async () => {
    const { page } = await open('/versions.html');
    const text = await page.locator('.vp-doc').innerText();
    for (const p of generated.packages) expect(text).toContain(`${p.name}\t${p.version}`);
    await page.close();
    const log = await open('/changelog.html');
    expect(await log.page.locator('.vp-doc').innerText()).toContain(`Unreleased (${generated.pendingChangesets} pending changesets)`);
    await log.page.close();
  });
});

describe('the playground', () => {
  it('optimizer race: the URL state loads, and every optimizer lowers the loss on Rosenbrock', async () => {
    const { page, trouble } = await open('/playground/race.html#surface=rosenbrock&methods=sgd,adam,seedAdam&steps=150&adam.lr=0.03&seed=3');
    expect(await finished(page)).toBe('done');
    expect(await page.locator('[data-testid=race-surface] select, select[data-testid=race-surface]').inputValue()).toBe('rosenbrock');
    expect(await page.locator('[data-testid=method-adam]').isChecked()).toBe(true);
    expect(await page.locator('[data-testid=method-rmsprop]').isChecked()).toBe(false);
    expect(await page.locator('[data-testid=hyper-adam-lr]').locator('xpath=following-sibling::output').innerText()).toBe('0.03');
    const rows = await page.locator('[data-testid=race-results] tr[data-method]').evaluateAll((trs) => trs.map((tr) => ({ m: tr.getAttribute('data-method'), first: Number(tr.getAttribute('data-first')), last: Number(tr.getAttribute('data-last')), status: tr.getAttribute('data-status') })));
    expect(rows.map((r) => r.m)).toEqual(['sgd', 'adam', 'seedAdam']);
    for (const r of rows) {
      expect(r.status, r.m!).toBe('done');
      expect(r.last, r.m!).toBeLessThan(r.first * 0.5);
    }
    expect(page.url()).toContain('seed=3');
    await shot(page, 'race');
    expect(trouble.errors).toEqual([]);
    await page.close();
  });

  it('optimizer race: a click on the contour plot moves the start point into the URL', async () => {
    const { page, trouble } = await open('/playground/race.html#surface=quadratic&methods=sgd&steps=20');
    await finished(page);
    const svg = page.locator('[data-testid=race-contour] figure > svg').first();
    const box = (await svg.boundingBox())!;
    // A position inside the element: Playwright scrolls it into view first.
    await svg.click({ position: { x: box.width * 0.5, y: box.height * 0.3 } });
    await page.waitForFunction(() => /x0=/.test(location.hash) && document.querySelector('.ddopt-playground [data-status]')?.getAttribute('data-status') === 'done');
    const hash = new URLSearchParams(new URL(page.url()).hash.slice(1));
    expect(Math.abs(Number(hash.get('x0')))).toBeLessThan(0.5); // the middle of x ∈ [−2, 2]
    expect(Number(hash.get('y0'))).toBeGreaterThan(0.3); // the upper part of y ∈ [−2, 2]
    expect(trouble.errors).toEqual([]);
    await page.close();
  });

  it('optimizer race: on the lecture’s saddle, GD started on the stable manifold stays and perturbed GD escapes', async () => {
    const { page, trouble } = await open('/playground/race.html#surface=valley&eps=-0.5&x0=0&y0=1.5&methods=sgd,perturbedGd&sgd.lr=0.01&perturbedGd.lr=0.01&steps=300&seed=0');
    expect(await finished(page)).toBe('done');
    const final = async (m: string) => (await page.locator(`tr[data-method=${m}] td`).nth(4).innerText()).replace(/[()]/g, '').split(',').map(Number);
    // ∂f/∂x = −4x(y − x²) + 2εx vanishes on x = 0: GD never leaves it and slides to the saddle (0, 0).
    const [gx, gy] = await final('sgd');
    expect(gx).toBe(0);
    expect(Math.abs(gy!)).toBeLessThan(0.05);
    const [px] = await final('perturbedGd');
    expect(Math.abs(px!)).toBeGreaterThan(0.1);
    expect(trouble.errors).toEqual([]);
    await page.close();
  });

  it('momentum: the measured rate of torch-style sgd matches the spectral radius the page predicts', async () => {
    const { page, trouble } = await open('/playground/momentum.html#m=1&M=10&alpha=0.15&beta=0.5&steps=300');
    expect(await finished(page)).toBe('done');
    const r = page.locator('[data-testid=momentum-readout]');
    const rho = Number(await r.getAttribute('data-rho'));
    const measured = Number(await r.getAttribute('data-measured'));
    expect(rho).toBeGreaterThan(0.5);
    expect(rho).toBeLessThan(1);
    expect(Math.abs(measured - rho) / rho).toBeLessThan(0.03);
    expect(Number(await r.getAttribute('data-last'))).toBeLessThan(Number(await r.getAttribute('data-first')) * 1e-6);
    await shot(page, 'momentum');
    expect(trouble.errors).toEqual([]);
    await page.close();
  });

  it('train: an MLP learns circles on the cpu backend (float64)', async () => {
    const { page, trouble } = await open('/playground/train.html#dataset=circles&n=120&widths=8,8&activation=tanh&optimizer=adam&lr=0.05&steps=80&backend=cpu&seed=1');
    expect(await finished(page)).toBe('done');
    const r = page.locator('[data-testid=train-readout]');
    expect(Number(await r.getAttribute('data-last'))).toBeLessThan(Number(await r.getAttribute('data-first')) * 0.7);
    expect(Number(await r.getAttribute('data-train-accuracy'))).toBeGreaterThan(0.75);
    await shot(page, 'train-cpu');
    expect(trouble.errors).toEqual([]);
    await page.close();
  });

  it('train: two Gaussian blobs (gaussianBlobs of @ddopt/datasets) are separated', async () => {
    const { page, trouble } = await open('/playground/train.html#dataset=gaussians&n=100&noise=0.4&widths=4&activation=tanh&optimizer=adam&lr=0.05&steps=40&backend=cpu&seed=2');
    expect(await finished(page)).toBe('done');
    expect(await page.locator('select[data-testid=train-dataset]').inputValue()).toBe('gaussians');
    const r = page.locator('[data-testid=train-readout]');
    expect(Number(await r.getAttribute('data-last'))).toBeLessThan(Number(await r.getAttribute('data-first')) * 0.7);
    // Blobs at (±1, ±1) with std 0.4 overlap little: Bayes accuracy Φ(√2/0.4) ≈ 0.9998.
    expect(Number(await r.getAttribute('data-train-accuracy'))).toBeGreaterThan(0.9);
    expect(trouble.errors).toEqual([]);
    await page.close();
  });

  it('train: the MNIST digits load in the page and the loss goes down', async () => {
    const { page, trouble } = await open('/playground/train.html#dataset=digits&n=200&widths=16&activation=relu&optimizer=adam&lr=0.01&steps=25&backend=cpu');
    expect(await finished(page, 90_000)).toBe('done');
    const r = page.locator('[data-testid=train-readout]');
    expect(Number(await r.getAttribute('data-last'))).toBeLessThan(Number(await r.getAttribute('data-first')) * 0.8);
    expect(trouble.errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('train: the same network on the webgl backend (SwiftShader, float32)', async () => {
    const { page, trouble } = await open('/playground/train.html#dataset=circles&n=100&widths=8&activation=tanh&optimizer=adam&lr=0.05&steps=30&backend=webgl&seed=1');
    expect(await finished(page, 110_000)).toBe('done');
    const r = page.locator('[data-testid=train-readout]');
    expect(await r.getAttribute('data-backend')).toBe('webgl');
    expect(Number(await r.getAttribute('data-last'))).toBeLessThan(Number(await r.getAttribute('data-first')));
    await shot(page, 'train-webgl');
    expect(trouble.errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('double descent: fresh min-norm fits peak at n = d, as the closed form says', async () => {
    const d = 30;
    const { page, trouble } = await open(`/playground/double-descent.html#d=${d}&sigma=0.3&trials=4&seed=2`);
    expect(await finished(page)).toBe('done');
    const peak = Number(await page.locator('[data-testid=dd-readout]').getAttribute('data-peak-n'));
    expect(Math.abs(peak - d)).toBeLessThanOrEqual(2);
    await shot(page, 'double-descent');
    expect(trouble.errors).toEqual([]);
    await page.close();
  });

  it('experiments: saddle-escape runs in the page and renderFigure draws its figures', async () => {
    const { page, trouble } = await open('/playground/experiments.html#experiment=saddle-escape&seed=0&run=1');
    expect(await finished(page)).toBe('done');
    expect(await page.locator('[data-testid=experiment-verdict]').getAttribute('data-verdict')).toMatch(/^(matches|differs)$/);
    expect(await page.locator('[data-testid=experiment-result] [data-figure] svg').count()).toBeGreaterThan(0);
    await shot(page, 'experiments');
    expect(trouble.errors).toEqual([]);
    await page.close();
  });

  it('a link with settings the page cannot use says so, and runs with the defaults', async () => {
    const { page, trouble } = await open('/playground/race.html#surface=moon&colour=red&methods=sgd&steps=10');
    expect(await finished(page)).toBe('done');
    const text = await page.locator('[data-testid=url-problems]').innerText();
    expect(text).toContain('surface=moon is not one of');
    expect(text).toContain('unknown key "colour"');
    expect(trouble.errors).toEqual([]);
    await page.close();
  });

  it('curvature: GD lowers the loss, the Hessian spectrum of the page’s network is computed and drawn', async () => {
    const { page, trouble } = await open('/playground/curvature.html#lr=0.5&width=6&rounds=3&stepsPerRound=30&k=2&seed=1');
    expect(await finished(page)).toBe('done');
    const r = page.locator('[data-testid=curvature-readout]');
    expect(Number(await r.getAttribute('data-last'))).toBeLessThan(Number(await r.getAttribute('data-first')));
    // A 2-6-2 MLP with biases has (2 + 1)·6 + (6 + 1)·2 = 32 parameters; its trained loss is curved upwards somewhere.
    expect(Number(await r.getAttribute('data-dim'))).toBe(32);
    expect(Number(await r.getAttribute('data-lambda-max'))).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=curvature-density] svg').count()).toBeGreaterThan(0);
    await shot(page, 'curvature');
    expect(trouble.errors).toEqual([]);
    await page.close();
  });

  it('sudoku: SATNet trains in the page (its loss goes down), an edited board is solved, and a link with a board loads it', async () => {
    const t0 = performance.now();
    const { page, trouble } = await open('/playground/sudoku.html#m=48&aux=16&k=8&lr=0.03&batch=20&steps=25&boards=100&puzzle=3&seed=1');
    expect(await finished(page)).toBe('done');
    // The URL's settings are the page's.
    expect(await page.locator('[data-testid=sudoku-m]').inputValue()).toBe('48');
    expect(await page.locator('[data-testid=sudoku-steps]').inputValue()).toBe('25');
    expect(await page.locator('[data-testid=sudoku-puzzle]').inputValue()).toBe('3');
    const r = page.locator('[data-testid=sudoku-readout]');
    const first = Number(await r.getAttribute('data-first'));
    const last = Number(await r.getAttribute('data-last'));
    expect(last).toBeLessThan(first * 0.8);
    expect(Number(await r.getAttribute('data-cell-accuracy'))).toBeGreaterThan(0.25); // 4 digits: chance is 0.25
    const cells = page.locator('[data-testid=sudoku-board] [data-cell]');
    const values = async () => (await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value')))));
    const kinds = async () => (await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))));
    expect(await cells.count()).toBe(16);
    // The held-out puzzle: givens kept, every blank filled and marked against the known solution.
    const verdict = page.locator('[data-testid=sudoku-verdict]');
    expect(Number(await verdict.getAttribute('data-blanks'))).toBeGreaterThan(0);
    expect(await verdict.getAttribute('data-filled')).toBe('16');
    expect((await kinds()).every((k) => k === 'given' || k === 'right' || k === 'wrong')).toBe(true);
    await shot(page, 'sudoku');
    // Edit: clear the board, then give the first cell a 1 (one click: blank → 1); the net fills the other 15.
    await page.locator('[data-testid=sudoku-clear]').click();
    await page.locator('[data-testid=cell-0]').click();
    await page.waitForFunction(() => location.hash.includes('board=1000000000000000'));
    expect(await page.locator('[data-testid=cell-0]').getAttribute('data-kind')).toBe('given');
    const filled = await values();
    expect(filled[0]).toBe(1);
    expect(filled.every((v) => v >= 1 && v <= 4)).toBe(true);
    expect((await kinds()).slice(1).every((k) => k === 'filled')).toBe(true); // many solutions: no cell has one right answer
    expect(await verdict.getAttribute('data-solutions')).toBe('2');
    expect(trouble.errors).toEqual([]);
    await page.close();
    // A link with a board of the visitor's (6 givens, one solution: 1234/3412/2143/4321) shows that board.
    const board = '1204300020000001';
    const linked = await open(`/playground/sudoku.html#m=48&aux=16&k=8&lr=0.03&batch=20&steps=5&boards=40&board=${board}&seed=1`);
    expect(await finished(linked.page)).toBe('done');
    const given = await linked.page.locator('[data-testid=sudoku-board] [data-cell]').evaluateAll((els) => els.map((e) => e.getAttribute('data-given')).join(''));
    expect(given).toBe(board);
    expect(await linked.page.locator('[data-testid=sudoku-verdict]').getAttribute('data-solutions')).toBe('1');
    expect(linked.page.url()).toContain(`board=${board}`);
    // Hyperplane rounding (satnetRound) instead of argmax: the board is solved again, the choice goes into the URL.
    await linked.page.locator('select[data-testid=sudoku-decode]').selectOption('round');
    await linked.page.waitForFunction(() => location.hash.includes('decode=round'));
    expect(await linked.page.locator('[data-testid=sudoku-verdict]').getAttribute('data-filled')).toBe('16');
    expect(await linked.page.locator('[data-testid=sudoku-board] [data-cell]').evaluateAll((els) => els.map((e) => e.getAttribute('data-given')).join(''))).toBe(board);
    await shot(linked.page, 'sudoku-linked-board');
    expect(linked.trouble.errors).toEqual([]);
    await linked.page.close();
    console.log(`sudoku browser test: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
});
