// runSweep on piscina threads: results independent of the number of workers, checkpoints resumed,
// crashes reported with their point, foreign or corrupted checkpoints refused by path.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng, randn } from '@ddopt/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { type GridPoint, jobKey, jobSeed } from '../src/index.js';
import { runSweep } from '../src/node/index.js';
import { toySweep } from './fixtures/toy-sweep.js';

const module = new URL('./fixtures/toy-sweep.ts', import.meta.url).href;
const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'ddopt-sweep-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// Later points sleep less, so with 2 workers they finish out of grid order.
const grid = [
  { n: 50, sleepMs: 120 },
  { n: 80, sleepMs: 60 },
  { n: 30, sleepMs: 0 },
  { n: 40, sleepMs: 10 },
];

describe('jobSeed', () => {
  it('is FNV-1a (32-bit) of "<seed>|<point with sorted keys>" (values from a Python FNV-1a)', () => {
    // Python: h = 0x811c9dc5; for c in s: h = ((h ^ c) * 0x01000193) % 2**32, for s = '7|{"a":1,"b":"x"}'
    expect(jobSeed(7, { b: 'x', a: 1 })).toBe(3488936132);
    expect(jobSeed(7, { a: 1, b: 'x' })).toBe(3488936132);
    expect(jobKey({ a: 1 })).toMatch(/^job-[0-9a-f]{16}$/);
    expect(jobKey({ a: 1 })).not.toBe(jobKey({ a: 2 }));
  });
});

describe('runSweep', () => {
  it('gives identical numbers with 1 and 2 workers, each job equal to its seed run in this thread', async () => {
    const one = await runSweep(toySweep, grid, { workers: 1, seed: 3, module });
    const two = await runSweep(toySweep, grid, { workers: 2, seed: 3, module });
    expect(one.crashed).toEqual([]);
    expect(two.crashed).toEqual([]);
    expect(two.jobs.map((j) => j.output)).toEqual(one.jobs.map((j) => j.output));
    expect(one.jobs.map((j) => j.point)).toEqual(grid);
    for (const j of one.jobs) {
      const draws = randn(prng(jobSeed(3, j.point)), [j.point.n as number], { dtype: 'float64' }).toArray() as number[];
      expect(j.output.first).toBe(draws[0]);
      // The mean of n standard normals is within 5 standard errors of 0.
      expect(Math.abs(j.output.mean as number)).toBeLessThan(5 / Math.sqrt(j.point.n as number));
    }
    // Different sweep seeds give different draws.
    const other = await runSweep(toySweep, grid.slice(0, 1), { workers: 1, seed: 4, module });
    expect(other.jobs[0]?.output.first).not.toBe(one.jobs[0]?.output.first);
  });

  it('writes each finished job to the run folder and skips them on a rerun', async () => {
    const dir = freshDir();
    const first = await runSweep(toySweep, grid, { workers: 2, seed: 1, module, dir });
    expect(first.resumed).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(grid.map((p) => `${jobKey(p)}.json`).sort());
    const again = await runSweep(toySweep, grid, { workers: 2, seed: 1, module, dir });
    expect(again.resumed).toBe(4);
    expect(again.jobs).toEqual(first.jobs);
    rmSync(join(dir, `${jobKey(grid[2] as (typeof grid)[number])}.json`));
    const partial = await runSweep(toySweep, grid, { workers: 2, seed: 1, module, dir });
    expect(partial.resumed).toBe(3);
    expect(partial.jobs.map((j) => j.output)).toEqual(first.jobs.map((j) => j.output));
  });

  it('reports a crashed job (a throw, a thread that exits) with its configuration, keeps the others, and retries it on a rerun', async () => {
    const dir = freshDir();
    const withCrash: GridPoint[] = [...grid, { n: 10, crash: true }, { n: 20, exit: true }];
    const report = await runSweep(toySweep, withCrash, { workers: 2, seed: 1, module, dir });
    expect(report.jobs.map((j) => j.point)).toEqual(grid);
    expect(report.crashed).toHaveLength(2);
    expect(report.crashed[0]?.point).toEqual({ n: 10, crash: true });
    // A thread that dies takes only its own job down.
    expect(report.crashed[1]?.point).toEqual({ n: 20, exit: true });
    expect(report.crashed[1]?.error).toMatch(/exit|terminat/i);
    expect(report.crashed[0]?.seed).toBe(jobSeed(1, { n: 10, crash: true }));
    expect(report.crashed[0]?.error).toContain('asked to crash at n = 10');
    expect(readdirSync(dir)).toHaveLength(4);
    const rerun = await runSweep(toySweep, withCrash, { workers: 2, seed: 1, module, dir });
    expect(rerun.resumed).toBe(4);
    expect(rerun.crashed).toHaveLength(2);
  });

  it('refuses a corrupted or foreign checkpoint, naming its path', async () => {
    const dir = freshDir();
    await runSweep(toySweep, grid.slice(0, 2), { workers: 1, seed: 1, module, dir });
    const path = join(dir, `${jobKey(grid[0] as (typeof grid)[number])}.json`);
    await expect(runSweep(toySweep, grid.slice(0, 2), { workers: 1, seed: 2, module, dir })).rejects.toThrow(`checkpoint ${path} belongs to another run (sweepSeed 1, this run's 2)`);
    writeFileSync(path, '{"format": "ddopt-sweep-job/1", "experimentId": "toy-');
    await expect(runSweep(toySweep, grid.slice(0, 2), { workers: 1, seed: 1, module, dir })).rejects.toThrow(`checkpoint ${path} is not valid JSON`);
    writeFileSync(path, '{"hello": "world"}');
    await expect(runSweep(toySweep, grid.slice(0, 2), { workers: 1, seed: 1, module, dir })).rejects.toThrow(`${path} is not a sweep checkpoint`);
  });

  it('rejects bad arguments at the call, naming them', async () => {
    await expect(runSweep(toySweep, [], { module })).rejects.toThrow('runSweep: grid must be a non-empty array of points, got an empty array');
    await expect(runSweep(toySweep, [{ n: 1 }, { n: 1 }], { module })).rejects.toThrow('runSweep: grid[1] repeats grid[0] ({"n":1})');
    await expect(runSweep(toySweep, [{ n: Number.NaN }], { module })).rejects.toThrow('runSweep: grid[0].n must be a finite number, a string or a boolean, got NaN');
    await expect(runSweep(toySweep, grid, { module, workers: 0 })).rejects.toThrow('runSweep: workers must be a positive integer, got 0');
    await expect(runSweep(toySweep, grid, { module, threads: 2 } as never)).rejects.toThrow('runSweep: unknown option "threads"');
    await expect(runSweep({ ...toySweep, sweep: undefined }, grid, { module })).rejects.toThrow('runSweep: experiment "toy-sweep" declares no sweep');
  });
});
