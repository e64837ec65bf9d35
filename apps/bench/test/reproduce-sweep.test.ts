// `ddopt reproduce epoch-wise-double-descent --workers 1` and `--workers 2` give identical results.json
// numbers (each job is seeded from the sweep's seed and its grid point, not by scheduling), and a
// rerun into the same folder resumes every job from its checkpoint.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { RunReport } from '../src/runner.js';

const dir = mkdtempSync(join(tmpdir(), 'ddopt-reproduce-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { out: () => {}, err: () => {} };
const read = (out: string) => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunReport;

describe('ddopt reproduce <sweep experiment> --workers N', () => {
  it('gives the same numbers with 1 and 2 workers and resumes a rerun from its checkpoints', async () => {
    const one = join(dir, 'w1');
    const two = join(dir, 'w2');
    expect(await main(['reproduce', 'epoch-wise-double-descent', '--workers', '1', '--out', one], quiet)).toBe(0);
    expect(await main(['reproduce', 'epoch-wise-double-descent', '--workers', '2', '--out', two], quiet)).toBe(0);
    const a = read(one).experiments[0]!;
    const b = read(two).experiments[0]!;
    expect(a.status).toBe('ok');
    expect(b.result!.headline).toEqual(a.result!.headline);
    expect(b.result!.figures).toEqual(a.result!.figures);
    expect(a.result!.setup['worker threads']).toBe(1);
    expect(b.result!.setup['worker threads']).toBe(2);
    const jobs = readdirSync(join(two, 'jobs', 'epoch-wise-double-descent'));
    expect(jobs.length).toBe(a.result!.setup.jobs);
    expect(await main(['reproduce', 'epoch-wise-double-descent', '--workers', '2', '--out', two], quiet)).toBe(0);
    const c = read(two).experiments[0]!;
    expect(c.result!.setup['jobs resumed from checkpoints']).toBe(jobs.length);
    expect(c.result!.headline).toEqual(a.result!.headline);
  }, 300_000);
});
