// The consumer test: what a downstream user gets from the published packages. Packs every package
// with pnpm (as `changeset publish` does), installs the tarballs into fresh npm projects outside
// the workspace (plain npm, no links) and runs there what a user would: ESM and CJS programs
// doing a real job, tsc under node16 and bundler resolution, every README example, a Vite page in
// headless Chromium on cpu, wasm and webgl, an install without tfjs, and duplicated installs of
// @ddopt/tensor. publint --strict and attw check every tarball. Then the release test
// (release.mjs): changesets against a local Verdaccio. Prints each step's time and
// 'N passed, N failed'; exits non-zero on any failure.
//
// Usage: node scripts/consumer/run.mjs [--skip-release]   (after `pnpm build`)
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { redisServerAvailable, startRedisServer } from '../../tooling/vitest/redis-server.js';
import { examples } from './readme-examples.mjs';
import { PNPM, Steps, duBytes, ensureTools, expect, nodeJson, npmInstall, npmProject, packAll, root, run, workspacePackages } from './lib.mjs';
import { releaseTest } from './release.mjs';

const CHROMIUM = '/usr/bin/chromium';
const fixtures = join(root, 'scripts', 'consumer', 'fixtures');
const steps = new Steps();
const work = mkdtempSync(join(tmpdir(), 'ddopt-consumer-'));
const keep = process.env.DDOPT_CONSUMER_KEEP === '1';
const tensorPkg = JSON.parse(readFileSync(join(root, 'packages', 'tensor', 'package.json'), 'utf8'));
const tfjsVersion = tensorPkg.peerDependencies['@tensorflow/tfjs-core'];
const tfjs = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgl'].map((p) => `${p}@${tensorPkg.peerDependencies[p]}`);
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

let tools;
let tarballs;

await steps.step('every package is built', async () => {
  const missing = workspacePackages().filter((p) => !existsSync(join(p.dir, 'dist')));
  if (missing.length > 0) await run('npx', [...PNPM, 'build'], { timeout: 900_000 });
  return missing.length > 0 ? `built ${missing.map((p) => p.name).join(', ')}` : 'dist present';
});

await steps.step('test tools installed (publint, attw, vite, verdaccio; cached)', async () => {
  tools = await ensureTools();
});

await steps.step('pnpm pack of every package', async () => {
  tarballs = await packAll(join(work, 'tarballs'));
  return `${Object.keys(tarballs).length} tarballs`;
});

await steps.step('tarballs: no source condition, no build-machine paths, LICENSE, metadata, README links', async () => {
  const problems = [];
  for (const [name, file] of Object.entries(tarballs)) {
    const dir = join(work, 'unpacked', name);
    rmSync(dir, { recursive: true, force: true });
    await run('mkdir', ['-p', dir]);
    await run('tar', ['-xzf', file, '-C', dir]);
    const pkgDir = join(dir, 'package');
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const exportsText = JSON.stringify(pkg.exports);
    if (exportsText.includes('"source"')) problems.push(`${name}: exports keep the source condition`);
    if (!existsSync(join(pkgDir, 'LICENSE')) || !readFileSync(join(pkgDir, 'LICENSE'), 'utf8').startsWith('MIT License')) problems.push(`${name}: no MIT LICENSE file`);
    for (const field of ['description', 'repository', 'homepage', 'engines', 'license']) {
      if (!pkg[field] || (typeof pkg[field] === 'string' && pkg[field].trim() === '')) problems.push(`${name}: empty ${field}`);
    }
    if (JSON.stringify(pkg.dependencies ?? {}).includes('@tensorflow')) problems.push(`${name}: depends on tfjs (${JSON.stringify(pkg.dependencies)})`);
    if (JSON.stringify(pkg.dependencies ?? {}).includes('@ddopt/tensor')) problems.push(`${name}: @ddopt/tensor must be a peer dependency, not a dependency`);
    if (JSON.stringify(pkg).includes('workspace:')) problems.push(`${name}: a workspace: range was published`);
    // No file may carry the path of the machine that built it (source maps used to).
    const { stdout } = await run('grep', ['-rl', '--', root, pkgDir], { allowFail: true });
    for (const f of stdout.split('\n').filter(Boolean)) problems.push(`${name}: ${relative(pkgDir, f)} contains ${root}`);
    // A declaration its own docs call @internal must not be exported (users would depend on it).
    for (const f of readdirSync(join(pkgDir, 'dist')).filter((f) => f.endsWith('.d.ts'))) {
      for (const n of internalExports(readFileSync(join(pkgDir, 'dist', f), 'utf8'))) problems.push(`${name}: dist/${f} exports ${n}, documented @internal`);
    }
    // Relative README links must point at files in the tarball (the registry page has nothing else).
    const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
    for (const m of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1].split('#')[0];
      if (target === '' || /^[a-z]+:/.test(target)) continue;
      if (!existsSync(join(pkgDir, target))) problems.push(`${name}: README links to ${target}, which is not in the tarball`);
    }
  }
  const tensorMeta = JSON.parse(readFileSync(join(work, 'unpacked', '@ddopt/tensor', 'package', 'package.json'), 'utf8')).peerDependenciesMeta ?? {};
  for (const t of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgl']) {
    if (tensorMeta[t]?.optional !== true) problems.push(`@ddopt/tensor: ${t} is not an optional peer`);
  }
  expect(problems.length === 0, problems.join('\n'));
});

await steps.step('publint --strict on every tarball', async () => {
  const bad = [];
  for (const [name, file] of Object.entries(tarballs)) {
    const r = await run(join(tools, 'node_modules', '.bin', 'publint'), ['run', '--strict', file], { allowFail: true });
    if (r.code !== 0 || !r.stdout.includes('All good')) bad.push(`${name}:\n${r.stdout}${r.stderr}`);
  }
  expect(bad.length === 0, bad.join('\n'));
});

await steps.step('attw (node10, node16 CJS/ESM, bundler) on every tarball', async () => {
  const bad = [];
  // Two at a time (each is one busy Node process; CI has two cores).
  const queue = Object.entries(tarballs);
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [name, file] = next;
      const r = await run(join(tools, 'node_modules', '.bin', 'attw'), ['--format', 'ascii', file], { allowFail: true });
      if (r.code !== 0) bad.push(`${name}:\n${r.stdout}${r.stderr}`);
    }
  };
  await Promise.all([worker(), worker()]);
  expect(bad.length === 0, bad.join('\n'));
});

// --- The full install: every package and tfjs, as an app using all backends would have. ---
const full = join(work, 'full');

await steps.step('npm install of every tarball and tfjs into a fresh project', async () => {
  npmProject(full);
  await npmInstall(full, [...Object.values(tarballs), ...tfjs]);
  for (const f of ['job-core.cjs', 'job.mjs', 'job.cjs', 'mixed.mjs']) cpSync(join(fixtures, f), join(full, f));
  return `node_modules ${mb(duBytes(join(full, 'node_modules')))}`;
});

await steps.step('ESM program: float64 valueAndGrad and hvp, 100 Adam steps', async () => {
  const r = await nodeJson(['job.mjs'], { cwd: full });
  expect(r.format === 'esm', JSON.stringify(r));
});

await steps.step('CJS program: the same job through require', async () => {
  const r = await nodeJson(['job.cjs'], { cwd: full });
  expect(r.format === 'cjs', JSON.stringify(r));
});

await steps.step('node --conditions=source loads the published packages', async () => {
  // The source condition pointed at ./src/*.ts, which is not published: module-not-found.
  await nodeJson(['--conditions=source', 'job.mjs'], { cwd: full });
});

await steps.step('ESM and CJS copies in one program share gradients and backends', async () => {
  const r = await nodeJson(['mixed.mjs'], { cwd: full });
  expect(r.grad[0] === 6, `grad of Σv² at 3 across the ESM and CJS copies: ${JSON.stringify(r)} (was [0])`);
  expect(r.backend === 'wasm' && r.wasmBackend === 'wasm' && r.wasmSum === 4, `wasm registered from CJS, used from ESM: ${JSON.stringify(r)}`);
});

await steps.step('tsc --noEmit under node16 (.mts and .cts) and bundler resolution, strict', async () => {
  const src = readFileSync(join(fixtures, 'check.ts.txt'), 'utf8');
  const types = join(full, 'types');
  rmSync(types, { recursive: true, force: true });
  await run('mkdir', ['-p', types]);
  writeFileSync(join(types, 'check.mts'), src);
  writeFileSync(join(types, 'check.cts'), src);
  cpSync(join(fixtures, 'vite', 'main.ts'), join(types, 'page.ts'));
  const base = { strict: true, noEmit: true, skipLibCheck: false, types: [], target: 'ES2022', lib: ['ES2022', 'DOM'], noUnusedLocals: true };
  writeFileSync(join(types, 'tsconfig.node16.json'), JSON.stringify({ compilerOptions: { ...base, module: 'node16', moduleResolution: 'node16' }, files: ['check.mts', 'check.cts'] }));
  writeFileSync(join(types, 'tsconfig.bundler.json'), JSON.stringify({ compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler' }, files: ['check.mts', 'page.ts'] }));
  await run(process.execPath, [tsc, '-p', 'tsconfig.node16.json'], { cwd: types });
  await run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], { cwd: types });
});

const found = examples();
const exDir = join(full, 'readme-examples');

await steps.step(`README examples (${found.length}) type-check under strict`, async () => {
  rmSync(exDir, { recursive: true, force: true });
  await run('mkdir', ['-p', join(exDir, 'src')]);
  for (const ex of found) writeFileSync(join(exDir, 'src', `${ex.name}.ts`), `// ${ex.file}:${ex.line}\n${ex.code}`);
  const compilerOptions = { strict: true, types: [], target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'node16', moduleResolution: 'node16', moduleDetection: 'force', skipLibCheck: true, outDir: 'out', rootDir: 'src' };
  writeFileSync(join(exDir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }));
  try {
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: exDir });
  } catch (e) {
    // Name each failure by its README and line.
    const byFile = Object.fromEntries(found.map((ex) => [`src/${ex.name}.ts`, `${ex.file}:${ex.line}`]));
    throw new Error(e.message.replace(/src\/[\w-]+\.ts\((\d+),(\d+)\)/g, (m, l) => `${byFile[m.split('(')[0]]} (example line ${Number(l) - 1})`));
  }
});

await steps.step(`README examples (${found.length}) run outside the repository`, async () => {
  const bad = [];
  const skipped = [];
  for (const ex of found) {
    let redis;
    try {
      if (ex.redis) {
        if (!redisServerAvailable) {
          skipped.push(`${ex.file}:${ex.line} (needs redis-server: apt-get install redis-server)`);
          continue;
        }
        // The example's own URL, 127.0.0.1:6379 with its password, moved to a server of our own.
        const password = /redis:\/\/:([^@]+)@127\.0\.0\.1:6379/.exec(ex.code)?.[1];
        redis = await startRedisServer(password ? ['--requirepass', password] : []);
        const js = join(exDir, 'out', `${ex.name}.js`);
        writeFileSync(js, readFileSync(js, 'utf8').replaceAll('127.0.0.1:6379', `127.0.0.1:${redis.port}`));
      }
      await run(process.execPath, [join('out', `${ex.name}.js`)], { cwd: exDir, timeout: 120_000 });
    } catch (e) {
      bad.push(`${ex.file}:${ex.line}: ${e.message}`);
    } finally {
      await redis?.stop();
    }
  }
  expect(bad.length === 0, bad.join('\n\n'));
  if (skipped.length > 0) return `skipped: ${skipped.join(', ')}`;
});

await steps.step('Vite build of a page on cpu, wasm and webgl, run in headless Chromium', async () => {
  if (!existsSync(CHROMIUM)) return `skipped: ${CHROMIUM} is absent (apt-get install chromium)`;
  const web = join(full, 'web');
  rmSync(web, { recursive: true, force: true });
  cpSync(join(fixtures, 'vite'), web, { recursive: true });
  await run(process.execPath, [join(tools, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', '--outDir', 'dist', '--emptyOutDir'], { cwd: web, timeout: 300_000 });
  const result = await runPage(join(web, 'dist'));
  const problems = [...result.errors];
  for (const name of ['cpu', 'wasm', 'webgl']) {
    const r = result.runs.find((x) => x.backend === name);
    if (!r) problems.push(`${name}: no run reported`);
    else if (r.error) problems.push(`${name}: ${r.error}`);
    else {
      if (!(r.losses.at(-1) < r.losses[0] / 10)) problems.push(`${name}: the loss did not go down: ${r.losses[0]} → ${r.losses.at(-1)}`);
      if (r.tensorsAfter !== r.tensorsBefore) problems.push(`${name}: ${r.tensorsAfter - r.tensorsBefore} tensors left behind`);
    }
  }
  expect(problems.length === 0, problems.join('\n'));
  return result.runs.map((r) => `${r.backend} ${r.losses[0]?.toFixed(3)} → ${r.losses.at(-1)?.toExponential(2)}`).join(', ');
});

// --- An optimizers-only install: optimizers and its peers (tensor, autograd), no tfjs. ---
const small = join(work, 'optimizers-only');

await steps.step('optimizers-only install has no tfjs', async () => {
  npmProject(small);
  await npmInstall(small, [tarballs['@ddopt/optimizers'], tarballs['@ddopt/autograd'], tarballs['@ddopt/tensor']]);
  const nm = join(small, 'node_modules');
  if (existsSync(join(nm, '@tensorflow'))) throw new Error(`tfjs was installed: ${readdirSync(join(nm, '@tensorflow')).join(', ')}`);
  for (const f of ['job-core.cjs', 'job.mjs', 'grad-once.mjs', 'no-tfjs.mjs']) cpSync(join(fixtures, f), join(small, f));
  return `node_modules ${mb(duBytes(nm))} (${readdirSync(nm).filter((d) => !d.startsWith('.')).join(', ')})`;
});

await steps.step('optimizers-only install runs the ESM job', async () => {
  await nodeJson(['job.mjs'], { cwd: small });
});

await steps.step('@ddopt/tensor/wasm without tfjs says what to install', async () => {
  const r = await nodeJson(['no-tfjs.mjs'], { cwd: small });
  expect(r.sum === 6, JSON.stringify(r));
  const want = `npm install @tensorflow/tfjs-core@${tfjsVersion} @tensorflow/tfjs-backend-wasm@${tfjsVersion}`;
  expect(r.message.includes(want) && r.message.includes('optional peer'), `expected the message to include "${want}", got: ${r.message}`);
});

const nested = join(small, 'node_modules', '@ddopt', 'autograd', 'node_modules', '@ddopt', 'tensor');

await steps.step('a second copy of @ddopt/tensor (same version) under autograd: gradients still flow', async () => {
  cpSync(join(small, 'node_modules', '@ddopt', 'tensor'), nested, { recursive: true });
  const r = await nodeJson(['grad-once.mjs'], { cwd: small });
  expect(r.tensorOfAutograd.includes('autograd/node_modules/@ddopt/tensor') && !r.tensorOfApp.includes('autograd/node_modules'), `expected two copies: ${JSON.stringify(r)}`);
  expect(r.grad.length === 1 && r.grad[0] === 6, `grad of Σv² at 3 with two copies: ${JSON.stringify(r.grad)} (was [0])`);
});

await steps.step('a second copy of another version: loading fails, naming both versions and paths', async () => {
  const version = tensorPkg.version;
  const skew = `${version}-skew.0`;
  const pkgFile = join(nested, 'package.json');
  writeFileSync(pkgFile, readFileSync(pkgFile, 'utf8').replace(`"version": "${version}"`, `"version": "${skew}"`));
  let replaced = 0;
  for (const f of readdirSync(join(nested, 'dist')).filter((f) => /\.(c?js)$/.test(f))) {
    const text = readFileSync(join(nested, 'dist', f), 'utf8');
    const patched = text.replaceAll(`var version = "${version}";`, () => {
      replaced++;
      return `var version = "${skew}";`;
    });
    if (patched !== text) writeFileSync(join(nested, 'dist', f), patched);
  }
  expect(replaced === 2, `expected the version constant in the ESM and the CJS chunk, replaced ${replaced}`);
  const r = await run(process.execPath, ['grad-once.mjs'], { cwd: small, allowFail: true });
  const out = `${r.stdout}${r.stderr}`;
  expect(r.code !== 0, `loading two versions must fail, but the program ran: ${r.stdout}`);
  // Whichever copy loads first is named first; both versions and both paths must be there.
  const esc = (v) => v.replace(/\./g, '\\.');
  const named = [
    /two different versions are loaded in one process: /,
    new RegExp(`\\b${esc(version)} from ${esc(small)}/node_modules/@ddopt/tensor/dist/`),
    new RegExp(`\\b${esc(skew)} from ${esc(small)}/node_modules/@ddopt/autograd/node_modules/@ddopt/tensor/dist/`),
  ];
  expect(named.every((re) => re.test(out)), `expected the error to name both versions and paths, got:\n${out}`);
  return out.split('\n').find((l) => l.includes('two different versions'))?.trim().slice(0, 160);
});

if (!process.argv.includes('--skip-release')) {
  await steps.step('release: changeset version and publish to a local Verdaccio, install from it', async () => releaseTest({ tools, work: join(work, 'release') }));
}

if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
process.exit(steps.summary('consumer'));

/** Names of top-level declarations in a bundled .d.ts that are exported although their doc comment says `@internal`. */
function internalExports(text) {
  const exported = new Set();
  for (const m of text.matchAll(/^export \{([^}]*)\}/gm)) {
    for (const part of m[1].split(',')) exported.add(part.trim().split(/\s+as\s+/).pop().replace(/^type\s+/, ''));
  }
  const out = new Set();
  for (const m of text.matchAll(/^\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\n(export )?(?:declare )?(?:abstract )?(?:function|const|class|interface|type|let|enum) (\w+)/gm)) {
    if (/@internal\b/.test(m[1]) && (m[2] || exported.has(m[3]))) out.add(m[3]);
  }
  return [...out];
}

/** Serves `dir`, opens it in headless Chromium and returns the page's report and its errors. */
async function runPage(dir) {
  const { chromium } = createRequire(join(root, 'packages', 'tensor', 'package.json'))('playwright-core');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/$/, '/index.html'));
    if (!path.startsWith(dir) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    res.end(readFileSync(path));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const profile = mkdtempSync(join(tmpdir(), 'ddopt-chromium-'));
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args });
  const errors = [];
  try {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'commit' });
    await page.waitForFunction(() => globalThis.__ddoptRuns !== undefined, undefined, { timeout: 240_000 });
    const runs = await page.evaluate(() => globalThis.__ddoptRuns);
    return { runs, errors };
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
