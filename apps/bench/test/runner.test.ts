import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Experiment, silentProgress } from '@ddopt/experiments';
import { renderReport } from '../src/report/html.js';
import { runExperiments } from '../src/runner.js';

const ok: Experiment = {
  id: 'fine',
  seed: 'test',
  title: 'A fine experiment',
  reference: 'none',
  run: async () => ({
    setup: { n: 3 },
    backendUsed: 'cpu float64',
    figures: [{ id: 'fine-fig', title: 'line', caption: 'y = x', x: { label: 'x' }, y: { label: 'y' }, series: [{ name: 'y = x', mark: 'line', points: [0, 1, 2].map((x) => ({ x, y: x })) }] }],
    comparison: { headers: ['quantity', 'paper', 'ours'], rows: [['slope', 1, 1]] },
    verdict: { status: 'matches', text: 'slope 1' },
    headline: { slope: 1 },
    notes: [],
  }),
};
const boom: Experiment = { id: 'boom', seed: 'test', title: 'A crashing experiment', reference: 'none', run: async () => Promise.reject(new Error('kaboom <b>')) };

describe('runExperiments', () => {
  it('records a crash with its message and keeps running the others', async () => {
    const report = await runExperiments([boom, ok], { mode: 'quick', seed: 7, backend: 'cpu' }, () => ({ ...silentProgress, stop() {} }));
    expect(report.experiments.map((e) => [e.id, e.status])).toEqual([
      ['boom', 'crashed'],
      ['fine', 'ok'],
    ]);
    expect(report.experiments[0]!.error).toContain('kaboom');
    const html = renderReport(report);
    // The crash is shown (escaped) and the other experiment's figure is rendered as SVG.
    expect(html).toContain('kaboom &lt;b&gt;');
    expect(html).toMatch(/<figure class="fig" data-figure-id="fine-fig">[\s\S]*<svg[^>]*viewBox/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});

describe('runExperiments with a sweep experiment', () => {
  const module = new URL('./fixtures/sweep-experiment.ts', import.meta.url).href;
  const moduleOf = (id: string) => (id === 'squares' ? module : undefined);

  it('runs its grid on worker threads, ticks once per job, checkpoints them and resumes', async () => {
    const { squares } = await import('./fixtures/sweep-experiment.js');
    const jobsDir = mkdtempSync(join(tmpdir(), 'ddopt-runner-sweep-'));
    try {
      let ticks = 0;
      const progress = () => ({
        start() {},
        tick(k = 1) {
          ticks += k;
        },
        stop() {},
      });
      const report = await runExperiments([squares], { mode: 'quick', seed: 0, backend: 'cpu' }, progress, { workers: 2, jobsDir, moduleOf });
      const rec = report.experiments[0]!;
      expect(rec.status, rec.error).toBe('ok');
      // Closed form n(n + 1)(2n + 1)/6.
      for (const n of [3, 10, 40, 100]) expect(rec.result!.headline[`sum${n}`]).toBe((n * (n + 1) * (2 * n + 1)) / 6);
      expect(ticks).toBe(4);
      expect(readdirSync(join(jobsDir, 'squares'))).toHaveLength(4);
      const again = await runExperiments([squares], { mode: 'quick', seed: 0, backend: 'cpu' }, progress, { workers: 2, jobsDir, moduleOf });
      expect(again.experiments[0]!.result!.setup['jobs resumed from checkpoints']).toBe(4);
      expect(again.experiments[0]!.result!.headline).toEqual(rec.result!.headline);
      // A crashing job crashes the record with its point; the other jobs are checkpointed.
      const crashed = await runExperiments([squares], { mode: 'quick', seed: 13, backend: 'cpu' }, progress, { workers: 2, jobsDir: join(jobsDir, 's13'), moduleOf });
      expect(crashed.experiments[0]!.status).toBe('crashed');
      expect(crashed.experiments[0]!.error).toContain('1 of 5 jobs crashed');
      expect(crashed.experiments[0]!.error).toContain('job {"n":-1}');
      expect(crashed.experiments[0]!.error).toContain('n = -1 is negative');
      expect(readdirSync(join(jobsDir, 's13', 'squares'))).toHaveLength(4);
    } finally {
      rmSync(jobsDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('runExperiments --full estimates', () => {
  it("prints an experiment's estimateFull just before it starts, in --full runs only", async () => {
    const events: string[] = [];
    const timed: Experiment = { ...ok, id: 'timed', estimateFull: (c) => `about 3 CPU-hours at seed ${c.seed}`, run: async (c, p) => {
        events.push('run');
        return ok.run(c, p);
      },
    };
    const log = (line: string) => void events.push(line);
    await runExperiments([ok, timed], { mode: 'full', seed: 4, backend: 'cpu' }, () => ({ ...silentProgress, stop() {} }), { log });
    // `ok` declares no estimate, so nothing is printed for it.
    expect(events).toEqual(['timed --full: about 3 CPU-hours at seed 4', 'run']);
    events.length = 0;
    await runExperiments([timed], { mode: 'quick', seed: 4, backend: 'cpu' }, () => ({ ...silentProgress, stop() {} }), { log });
    expect(events).toEqual(['run']);
  });
});
