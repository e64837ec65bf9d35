import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFakeCifar10 } from '@ddopt/vitest-config/fake-cifar10';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';
import { experiments } from '@ddopt/experiments';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) }, out, err };
}

describe('ddopt CLI arguments', () => {
  it('rejects an unknown experiment and lists the known ones', async () => {
    const c = capture();
    const code = await main(['reproduce', 'descent-lemma', 'no-such-experiment'], c.io);
    expect(code).toBe(2);
    const msg = c.err.join('');
    expect(msg).toContain('unknown experiment "no-such-experiment"');
    for (const e of experiments) expect(msg).toContain(e.id);
  });

  it('rejects a bad --backend and lists the available ones', async () => {
    const c = capture();
    const code = await main(['reproduce', '--backend', 'gpu'], c.io);
    expect(code).toBe(2);
    expect(c.err.join('')).toMatch(/'gpu' is invalid\. Allowed choices are cpu, wasm/);
  });

  it('rejects a bad --seed and --quick with --full', async () => {
    const a = capture();
    expect(await main(['reproduce', 'descent-lemma', '--seed', '-3'], a.io)).toBe(2);
    expect(a.err.join('')).toContain('--seed must be a non-negative integer, got "-3"');
    const b = capture();
    expect(await main(['reproduce', '--quick', '--full'], b.io)).toBe(2);
    expect(b.err.join('')).toContain('choose one of --quick and --full');
  });

  it('rejects a bad --workers, and --workers when no selected experiment is a sweep', async () => {
    const a = capture();
    expect(await main(['reproduce', 'descent-lemma', '--workers', '0'], a.io)).toBe(2);
    expect(a.err.join('')).toContain('--workers must be a positive integer, got "0"');
    const b = capture();
    expect(await main(['reproduce', 'descent-lemma', '--workers', '2'], b.io)).toBe(2);
    expect(b.err.join('')).toContain('--workers applies to sweep experiments, and none is selected (descent-lemma)');
  });

  it('rejects --data when no selected experiment reads data, naming those that do', async () => {
    const c = capture();
    expect(await main(['reproduce', 'descent-lemma', '--data', '/tmp'], c.io)).toBe(2);
    expect(c.err.join('')).toContain("--data applies to experiments that read the user's data, and none is selected (descent-lemma); those that do: residual-cifar (a cifar-10-batches-bin folder");
  });

  it('rejects an unknown bench suite and lists the known ones', async () => {
    const c = capture();
    expect(await main(['bench', 'gpu-suite'], c.io)).toBe(2);
    expect(c.err.join('')).toContain('unknown bench suite "gpu-suite"; known suites: tensor, autograd, second-order');
  });

  it('lists every registered experiment with --list', async () => {
    const c = capture();
    expect(await main(['reproduce', '--list'], c.io)).toBe(0);
    const ids = c.out.join('').split('\n').slice(2).map((l) => l.split(/\s+/)[0]).filter(Boolean);
    expect(ids).toEqual(experiments.map((e) => e.id));
  });

  it('prints the run as JSON with --json and writes results.json and index.html to --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddopt-json-'));
    const c = capture();
    expect(await main(['reproduce', 'saddle-escape', '--json', '--seed', '5', '--out', dir], c.io)).toBe(0);
    const printed = JSON.parse(c.out.join(''));
    expect(printed.seed).toBe(5);
    expect(printed.versions['cpu backend threads']).toMatch(/^[1-4]$/);
    expect(printed.experiments.map((e: { id: string }) => e.id)).toEqual(['saddle-escape']);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual(printed);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('data-figure-id="saddle-trajectories"');
  });

  it('runs through bin/ddopt.js with the exit code of the CLI', () => {
    const bin = fileURLToPath(new URL('../bin/ddopt.js', import.meta.url));
    const ok = spawnSync(process.execPath, [bin, 'reproduce', '--list'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('descent-lemma');
    const bad = spawnSync(process.execPath, [bin, 'reproduce', 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('known experiments:');
  });
});

describe('ddopt reproduce residual-cifar --data', () => {
  it('hands the folder to the experiment, which trains on it as CIFAR-10; --full prints its estimate first', async () => {
    const exp = experiments.find((e) => e.id === 'residual-cifar')!;
    const dir = mkdtempSync(join(tmpdir(), 'ddopt-cli-cifar-'));
    const data = join(dir, 'cifar-10-batches-bin');
    writeFakeCifar10(data);
    // The grid is trimmed to two 2-step jobs of 2 blocks per stage at width 4 (the jobs read everything from their points).
    const grid = exp.sweep!.grid.bind(exp.sweep);
    const spy = vi.spyOn(exp.sweep!, 'grid').mockImplementation((c) =>
      grid(c)
        .filter((p) => p.blocks === 2)
        .map((p) => ({ ...p, width: 4, n: 16, nTest: 8, batch: 8, steps: 2, drop1: 1, drop2: 2 })),
    );
    try {
      const q = capture();
      expect(await main(['reproduce', 'residual-cifar', '--quick', '--data', data, '--workers', '1', '--out', join(dir, 'quick')], q.io)).toBe(0);
      const rec = JSON.parse(readFileSync(join(dir, 'quick', 'results.json'), 'utf8')).experiments[0];
      expect(rec.status, rec.error).toBe('ok');
      expect(rec.result.headline.dataSource).toBe('cifar10');
      expect(rec.result.setup.data).toContain(`CIFAR-10 from ${data}`);
      expect(q.err.join('')).not.toContain('--full:');
      const f = capture();
      expect(await main(['reproduce', 'residual-cifar', '--full', '--data', data, '--workers', '1', '--out', join(dir, 'full')], f.io)).toBe(0);
      expect(f.err.join('')).toMatch(/residual-cifar --full: about \d+ CPU-days per job at 2 blocks per stage/);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
