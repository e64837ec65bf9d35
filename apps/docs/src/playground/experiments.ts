// Running an experiment of @ddopt/experiments in the page: the same registry, runner and
// result contract as `ddopt reproduce`, with the figures drawn by its `renderFigure(spec, document)`.
import { type ExperimentResult, experimentById, experiments, renderFigure, runExperiment } from '@ddopt/experiments';
import { setBackend } from '@ddopt/tensor';
import { button, h, problemsBox, select, slider } from './ui.js';
import { pageState } from './page-state.js';
import type { Schema } from './url-state.js';

export const EXPERIMENT_SCHEMA = {
  experiment: { type: 'enum', default: 'descent-lemma', values: experiments.map((e) => e.id) },
  seed: { type: 'number', default: 0, min: 0, int: true },
  run: { type: 'bool', default: false },
} satisfies Schema;

/** Mounts the experiment runner into `root`; returns its cleanup. */
export function mountExperiments(root: HTMLElement): () => void {
  // A control only redraws; an edited hash reruns when it asks for a run (`run=1`).
  const page = pageState(EXPERIMENT_SCHEMA, {
    onChange: (next, _prev, source) => {
      build();
      if (source === 'hash' && next.run) void run();
    },
  });
  const controls = h('div', { class: 'pg-controls' });
  const about = h('p', { class: 'pg-caption' });
  const progress = h('progress', { max: 1, value: 0, 'data-testid': 'experiment-progress' });
  const out = h('div', { class: 'pg-experiment', 'data-testid': 'experiment-result' });
  root.append(problemsBox(page.problems), controls, about, progress, out);

  function build() {
    const state = page.get();
    const e = experimentById(state.experiment);
    controls.replaceChildren(
      select('experiment', experiments.map((x) => ({ value: x.id, text: `${x.id} — ${x.title}` })), state.experiment, (v) => page.set({ experiment: v, run: false }), 'experiment-select'),
      slider('seed', { min: 0, max: 99, step: 1, value: state.seed }, (v) => page.set({ seed: v })),
      button('run (quick configuration, cpu)', () => {
        page.set({ run: true });
        void run();
      }, 'experiment-run'),
    );
    about.textContent = `Seed document ${e.seed}; reference: ${e.reference}.`;
  }

  async function run() {
    const state = page.get();
    const live = page.begin();
    root.dataset.status = 'running';
    out.replaceChildren(h('p', {}, 'running…'));
    await setBackend('cpu');
    let total = 1;
    let done = 0;
    const record = await runExperiment(experimentById(state.experiment), { mode: 'quick', seed: state.seed, backend: 'cpu' }, {
      start(n) {
        total = Math.max(1, n);
        done = 0;
        progress.value = 0;
      },
      tick(amount = 1) {
        done += amount;
        progress.value = Math.min(1, done / total);
      },
    });
    if (!live()) return;
    progress.value = 1;
    if (record.status === 'crashed') {
      out.replaceChildren(h('pre', { 'data-testid': 'experiment-error' }, record.error ?? 'crashed'));
      root.dataset.status = 'crashed';
      return;
    }
    const result = record.result as ExperimentResult;
    const table = h('table', { class: 'pg-table' }, h('tr', {}, ...result.comparison.headers.map((x) => h('th', {}, x))), ...result.comparison.rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, String(c))))));
    const setup = h('table', { class: 'pg-table' }, ...Object.entries(result.setup).map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, String(v)))));
    out.replaceChildren(
      h('p', { class: `pg-verdict pg-${result.verdict.status}`, 'data-testid': 'experiment-verdict', 'data-verdict': result.verdict.status }, `${result.verdict.status === 'matches' ? 'Matches the paper' : 'Differs from the paper'}: ${result.verdict.text}`),
      h('p', {}, `${record.title} — ran in ${record.seconds.toFixed(1)} s on ${result.backendUsed}.`),
      setup,
      ...result.figures.map((spec) => h('div', { class: 'pg-figure', 'data-figure': spec.id }, renderFigure(spec, document))),
      table,
      h('ul', {}, ...result.notes.map((n) => h('li', {}, n))),
    );
    root.dataset.status = 'done';
  }

  build();
  if (page.get().run) void run();
  else root.dataset.status = 'idle';
  return page.dispose;
}
