// Helpers of the consumer and release tests: running commands, timing steps, the cached tool
// install, packing the workspace's packages.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const PNPM = ['-y', 'pnpm@10.34.8'];
/** Where tools and npm's cache for these tests live between runs (ignored by git, under node_modules). */
export const cacheDir = join(root, 'node_modules', '.cache', 'ddopt-consumer');

/**
 * Runs `cmd args` and resolves with its output; rejects with the command, exit code and the
 * output's tail when it fails or runs past `timeout` ms.
 */
export function run(cmd, args, { cwd = root, env = {}, timeout = 300_000, input, allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr };
      if ((code === 0 || allowFail) && signal === null) resolve(result);
      else {
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
        reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) ${signal ? `killed by ${signal} after ${timeout} ms` : `exited ${code}`}:\n${tail}`));
      }
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** Runs a Node script and parses the last line of its output as JSON. */
export async function nodeJson(args, options) {
  const { stdout } = await run(process.execPath, args, options);
  const last = stdout.trim().split('\n').pop();
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`expected JSON on the last line of node ${args.join(' ')}, got:\n${stdout}`);
  }
}

/** Throws `message` (with the values seen) unless `ok`. */
export function expect(ok, message) {
  if (!ok) throw new Error(message);
}

/** A list of named steps run in order; each failure is recorded, the rest still run. */
export class Steps {
  results = [];

  async step(name, fn) {
    const t0 = performance.now();
    process.stdout.write(`… ${name}\n`);
    try {
      const note = await fn();
      const s = (performance.now() - t0) / 1000;
      this.results.push({ name, ok: true, s, note });
      console.log(`ok   ${name} (${s.toFixed(1)} s)${note ? `: ${note}` : ''}`);
    } catch (e) {
      const s = (performance.now() - t0) / 1000;
      this.results.push({ name, ok: false, s, note: e.message });
      console.log(`FAIL ${name} (${s.toFixed(1)} s)\n     ${String(e.stack ?? e.message).split('\n').join('\n     ')}`);
    }
  }

  /** Prints the timings and the closing 'N passed, N failed' line; returns the exit code. */
  summary(label) {
    const passed = this.results.filter((r) => r.ok).length;
    const failed = this.results.length - passed;
    const total = this.results.reduce((s, r) => s + r.s, 0);
    console.log(`\n${label} timings (total ${total.toFixed(1)} s):`);
    for (const r of this.results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.s.toFixed(1).padStart(6)} s  ${r.name}`);
    console.log(`${label}: ${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  }
}

/** A fresh, empty directory. */
export function freshDir(path) {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return path;
}

/** Bytes under `path` (files only, links not followed). */
export function duBytes(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const name of readdirSync(path)) n += duBytes(join(path, name));
  return n;
}

/** The tool project the tests run (publint, attw, vite, verdaccio), pinned, installed once and cached. */
const TOOLS = {
  name: 'ddopt-consumer-tools',
  private: true,
  type: 'module',
  dependencies: {
    '@arethetypeswrong/cli': '0.18.5',
    publint: '0.3.25',
    verdaccio: '6.8.0',
    vite: '7.3.8',
  },
  // verdaccio 6.8.0 runs on Node 20 with node-fetch 2 (node-fetch 3 is ESM-only).
  overrides: { 'node-fetch': '2.7.0' },
};

/** Installs the tools (once per change of their versions) and returns their folder. */
export async function ensureTools() {
  const dir = join(cacheDir, 'tools');
  const manifest = `${JSON.stringify(TOOLS, null, 2)}\n`;
  const stamp = join(dir, '.installed');
  const hash = createHash('sha256').update(manifest).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash && existsSync(join(dir, 'node_modules', 'vite'))) return dir;
  freshDir(dir);
  writeFileSync(join(dir, 'package.json'), manifest);
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, timeout: 600_000 });
  writeFileSync(stamp, hash);
  return dir;
}

/** The workspace's publishable packages: { dir, name, version, pkg }. */
export function workspacePackages() {
  return readdirSync(join(root, 'packages'))
    .map((dir) => ({ dir: join(root, 'packages', dir), pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private)
    .map(({ dir, pkg }) => ({ dir, name: pkg.name, version: pkg.version, pkg }));
}

/** Packs every publishable package with pnpm (workspace ranges and publishConfig applied) into `dest`. */
export async function packAll(dest, { cwd = root } = {}) {
  freshDir(dest);
  await run('npx', [...PNPM, '-r', '--filter', './packages/*', 'pack', '--pack-destination', dest], { cwd, timeout: 300_000 });
  const tarballs = {};
  for (const { name, version } of workspacePackages()) {
    const file = join(dest, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
    expect(existsSync(file), `pnpm pack made no ${file}`);
    tarballs[name] = file;
  }
  return tarballs;
}

/** A fresh npm project at `dir` with `package.json` fields `extra`. */
export function npmProject(dir, extra = {}) {
  freshDir(dir);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', ...extra }, null, 2)}\n`);
  return dir;
}

/** npm install `specs` into `dir` (plain npm: no workspace links). */
export async function npmInstall(dir, specs, { env = {} } = {}) {
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir, env, timeout: 600_000 });
}
