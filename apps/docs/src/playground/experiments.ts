// Running an experiment of @ddopt/experiments in the page: the same registry, runner and
// result contract as `ddopt reproduce`, with the figures drawn by its `renderFigure(spec, document)`.
import { type ExperimentResult, experimentById, experiments, renderFigure, runExperiment } from '@ddopt/experiments';
import { setBackend } from '@ddopt/tensor';
import { button, h, problemsBox, select, slider } from './ui.js';
import { type Schema, type StateOf, formatState, parseState } from './url-state.js';

export const EXPERIMENT_SCHEMA = {
  experiment: { type: 'enum', default: 'descent-lemma', values: experiments.map((e) => e.id) },
  seed: { type: 'number', default: 0, min: 0, int: true },
  run: { type: 'bool', default: false },
} satisfies Schema;
type ExperimentState = StateOf<typeof EXPERIMENT_SCHEMA>;

/** Mounts the experiment runner into `root`; returns its cleanup. */
export function mountExperiments(root: HTMLElement): () => void {
  const parsed = parseState(EXPERIMENT_SCHEMA, location.hash);
  let state: ExperimentState = parsed.state;
  let generation = 0;
  const controls = h('div', { class: 'pg-controls' });
  const about = h('p', { class: 'pg-caption' });
  const progress = h('progress', { max: 1, value: 0, 'data-testid': 'experiment-progress' });
  const out = h('div', { class: 'pg-experiment', 'data-testid': 'experiment-result' });
  root.append(problemsBox(parsed.problems), controls, about, progress, out);

  const setState = (patch: Partial<ExperimentState>) => {
    state = { ...state, ...patch };
    history.replaceState(null, '', formatState(EXPERIMENT_SCHEMA, state));
    build();
  };

  function build() {
    const e = experimentById(state.experiment);
    controls.replaceChildren(
      select('experiment', experiments.map((x) => ({ value: x.id, text: `${x.id} — ${x.title}` })), state.experiment, (v) => setState({ experiment: v, run: false }), 'experiment-select'),
      slider('seed', { min: 0, max: 99, step: 1, value: state.seed }, (v) => setState({ seed: v })),
      button('run (quick configuration, cpu)', () => {
        setState({ run: true });
        void run();
      }, 'experiment-run'),
    );
    about.textContent = `Seed document ${e.seed}; reference: ${e.reference}.`;
  }

  async function run() {
    const my = ++generation;
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
    if (my !== generation) return;
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

  const onHash = () => {
    state = parseState(EXPERIMENT_SCHEMA, location.hash).state;
    build();
    if (state.run) void run();
  };
  window.addEventListener('hashchange', onHash);
  build();
  if (state.run) void run();
  else root.dataset.status = 'idle';
  return () => {
    generation++;
    window.removeEventListener('hashchange', onHash);
  };
}
