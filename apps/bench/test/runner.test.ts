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
