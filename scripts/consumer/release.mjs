// The release test: the whole release flow of CONTRIBUTING.md against a real npm registry server
// (Verdaccio) started here on 127.0.0.1 and stopped at the end. In a copy of the working tree:
// `pnpm version-packages` (changeset version: versions and CHANGELOGs from .changeset/*.md),
// `pnpm release` (build, changeset publish to the local registry); then a fresh npm project
// installs @ddopt/optimizers@<new version> from it (its peers tensor and autograd come along) and
// runs the ESM job. Nothing here can reach the public registry: the publish runs with the local
// registry in npm_config_registry (which changesets reads) and a token valid only there.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort } from '../../tooling/vitest/free-port.js';
import { PNPM, expect, freshDir, nodeJson, npmInstall, npmProject, root, run, workspacePackages } from './lib.mjs';


/** Copies the files git would commit (tracked and untracked, not ignored) from the repository to `dest`. */
async function copyWorkingTree(dest) {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root });
  for (const rel of stdout.split('\0').filter(Boolean)) {
    const from = join(root, rel);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(dirname(join(dest, rel)), { recursive: true });
    copyFileSync(from, join(dest, rel));
  }
}

/** Starts Verdaccio with its storage under `dir`; resolves with `{ url, stop }` once it answers. */
async function startVerdaccio(tools, dir) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = [
    `storage: ${join(dir, 'storage')}`,
    'auth:',
    '  htpasswd:',
    `    file: ${join(dir, 'htpasswd')}`,
    '    max_users: 10',
    'uplinks: {}',
    'packages:',
    "  '@ddopt/*':",
    '    access: $all',
    '    publish: $authenticated',
    "  'ddopt':",
    '    access: $all',
    '    publish: $authenticated',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'config.yaml'), config);
  const child = spawn(process.execPath, [join(tools, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited ${child.exitCode}:\n${log}`);
    try {
      const r = await fetch(`${url}-/ping`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`verdaccio did not answer on ${url} within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop, log: () => log };
}

/** Creates a registry user and returns its token. */
async function addUser(url) {
  const name = 'ddopt-release-test';
  const r = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'release-test-only', type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = await r.json();
  expect(r.ok && typeof body.token === 'string', `verdaccio refused the user: ${r.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** Runs the release against a local Verdaccio; returns a one-line summary. */
export async function releaseTest({ tools, work }) {
  freshDir(work);
  const repo = join(work, 'repo');
  const t0 = performance.now();
  const times = {};
  const lap = (name) => {
    times[name] = ((performance.now() - t0) / 1000).toFixed(1);
  };
  await copyWorkingTree(repo);
  const git = (args) => run('git', ['-c', 'user.name=release-test', '-c', 'user.email=release-test@localhost', ...args], { cwd: repo });
  await git(['init', '-q', '-b', 'main']);
  await git(['add', '-A']);
  await git(['commit', '-q', '-m', 'snapshot for the release test']);
  await run('npx', [...PNPM, 'install', '--prefer-offline', '--no-frozen-lockfile'], { cwd: repo, timeout: 600_000 });
  const pnpm = (await run('npx', [...PNPM, 'exec', 'sh', '-c', 'command -v pnpm'], { cwd: repo })).stdout.trim().split('\n').pop();
  expect(existsSync(pnpm), `could not locate the pnpm that npx runs (got "${pnpm}")`);
  lap('copy+install');

  const before = Object.fromEntries(workspacePackages().map((p) => [p.name, p.version]));
  // The pending changesets, plus one patch of optimizers so that the flow runs also right after a
  // release (when none are pending) and the package installed below always has a new version.
  writeFileSync(join(repo, '.changeset', 'release-test-optimizers.md'), '---\n"@ddopt/optimizers": patch\n---\n\nRelease test: a patch of @ddopt/optimizers.\n');
  const requested = {};
  for (const f of (await run('git', ['ls-files', '--others', '--cached', '.changeset'], { cwd: repo })).stdout.split('\n')) {
    if (!f.endsWith('.md') || f.endsWith('README.md')) continue;
    const front = readFileSync(join(repo, f), 'utf8').split('---')[1] ?? '';
    for (const m of front.matchAll(/"([^"]+)":\s*(major|minor|patch)/g)) {
      requested[m[1]] = requested[m[1]] ?? new Set();
      requested[m[1]].add(m[2]);
    }
  }
  await run('npx', [...PNPM, 'run', 'version-packages'], { cwd: repo, timeout: 300_000 });
  lap('version');
  const after = {};
  for (const name of Object.keys(before)) {
    const dir = name === 'ddopt' ? 'ddopt' : name.replace('@ddopt/', '');
    after[name] = JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8')).version;
  }
  const bumped = Object.keys(after).filter((n) => after[n] !== before[n]);
  expect(bumped.includes('@ddopt/optimizers'), `changeset version did not bump @ddopt/optimizers: ${JSON.stringify(after)}`);
  for (const name of bumped) {
    const dir = name === 'ddopt' ? 'ddopt' : name.replace('@ddopt/', '');
    const changelog = join(repo, 'packages', dir, 'CHANGELOG.md');
    expect(existsSync(changelog) && readFileSync(changelog, 'utf8').includes(`## ${after[name]}`), `${name}: no CHANGELOG.md entry for ${after[name]}`);
  }
  const left = (await run('git', ['ls-files', '--others', '--cached', '--exclude-standard', '.changeset'], { cwd: repo })).stdout
    .split('\n')
    .filter((f) => f.endsWith('.md') && !f.endsWith('README.md') && existsSync(join(repo, f)));
  expect(left.length === 0, `changeset version left changesets behind: ${left.join(', ')}`);
  // Independent versions: a package is bumped by its own changesets (peer ranges 0.x stay in range).
  const tensorPeers = JSON.parse(readFileSync(join(repo, 'packages', 'autograd', 'package.json'), 'utf8')).peerDependencies;
  expect(tensorPeers['@ddopt/tensor'] === 'workspace:0.x', `autograd's peer range on tensor changed: ${JSON.stringify(tensorPeers)}`);
  const majors = bumped.filter((n) => before[n].split('.')[0] !== after[n].split('.')[0] && !requested[n]?.has('major'));
  expect(majors.length === 0, `changeset version made major bumps no changeset asked for: ${majors.map((n) => `${n} ${before[n]} → ${after[n]}`).join(', ')}`);

  const registry = await startVerdaccio(tools, freshDir(join(work, 'verdaccio')));
  try {
    const token = await addUser(registry.url);
    const host = registry.url.replace(/^http:/, '');
    // The repository copy's npm settings: only the local registry, a token only for it.
    writeFileSync(join(repo, '.npmrc'), `registry=${registry.url}\n${host}:_authToken=${token}\n`);
    const env = { npm_config_registry: registry.url, NPM_CONFIG_REGISTRY: registry.url, npm_config_userconfig: join(repo, '.npmrc') };
    const { stdout: configured } = await run('npm', ['config', 'get', 'registry'], { cwd: repo, env });
    expect(configured.trim() === registry.url, `refusing to publish: npm's registry here is ${configured.trim()}, not ${registry.url}`);
    // pnpm itself comes from npx's cache (resolved before, with the public registry); changesets
    // spawns `pnpm publish`, so its folder goes on PATH.
    await run(pnpm, ['run', 'release'], { cwd: repo, env: { ...env, PATH: `${dirname(pnpm)}:${process.env.PATH}` }, timeout: 900_000 });
    lap('build+publish');

    // Every public package is on the registry at its new version.
    const published = {};
    for (const name of Object.keys(after)) {
      const r = await fetch(`${registry.url}${name.replace('/', '%2f')}`);
      const body = r.ok ? await r.json() : {};
      published[name] = body['dist-tags']?.latest;
    }
    const wrong = Object.keys(after).filter((n) => published[n] !== after[n]);
    expect(wrong.length === 0, `published versions differ from changeset version's: ${wrong.map((n) => `${n}: ${published[n]} vs ${after[n]}`).join(', ')}`);

    // A user's fresh project installs optimizers at that version from the registry.
    const app = npmProject(join(work, 'app'));
    writeFileSync(join(app, '.npmrc'), `@ddopt:registry=${registry.url}\n`);
    const version = after['@ddopt/optimizers'];
    const extra = Object.keys(after).filter((n) => n === '@ddopt/diff-solvers' || n === '@ddopt/second-order');
    await npmInstall(app, [`@ddopt/optimizers@${version}`, ...extra.map((n) => `${n}@${after[n]}`)], { env: { npm_config_userconfig: join(app, '.npmrc') } });
    for (const f of ['job-core.cjs', 'job.mjs']) cpSync(join(root, 'scripts', 'consumer', 'fixtures', f), join(app, f));
    await nodeJson(['job.mjs'], { cwd: app });
    // Installed versions are the released ones, and any exported `version` constant says so.
    const check = `
      import { readFileSync } from 'node:fs';
      const out = {};
      for (const name of ${JSON.stringify(['@ddopt/optimizers', '@ddopt/tensor', '@ddopt/autograd', ...extra])}) {
        const pkg = JSON.parse(readFileSync('node_modules/' + name + '/package.json', 'utf8'));
        const m = await import(name);
        out[name] = { installed: pkg.version, constant: m.version };
      }
      console.log(JSON.stringify(out));`;
    const seen = await nodeJson(['--input-type=module', '-e', check], { cwd: app });
    for (const [name, { installed, constant }] of Object.entries(seen)) {
      expect(installed === after[name], `${name}: installed ${installed}, released ${after[name]}`);
      expect(constant === undefined || constant === installed, `${name}: exports version ${constant} but is ${installed}`);
    }
    lap('install+run');
    return `${bumped.map((n) => `${n} ${before[n]}→${after[n]}`).join(', ')}; seconds: ${Object.entries(times)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`;
  } finally {
    await registry.stop();
  }
}
