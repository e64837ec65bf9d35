// Playground 1: the optimizer race on 2-D surfaces. Every method of methods.ts steps on the same
// surface from the same start (click the contour plot to move it), with the same gradient noise
// when σ > 0 (drawn from the seed), on the cpu backend in float64.
import { type Tensor, add, mul, prng, randn, scalar, setBackend, tensor } from '@ddopt/tensor';
import { METHODS, type Method, defaultHyper, methodById } from './methods.js';
import { type Grid, clickToData, contourPlot, curvePlot, gridPoints } from './plots.js';
import { SURFACES, type Surface, type SurfaceParams, surfaceById } from './surfaces.js';
import { button, checkbox, fmt, h, nextFrame, problemsBox, select, slider } from './ui.js';
import { pageState } from './page-state.js';
import type { Schema, StateOf } from './url-state.js';

const ids = METHODS.map((m) => m.id);

/** The page's state: surface, start, run length, noise, the methods raced and each one's hyperparameters. */
export const RACE_SCHEMA = {
  surface: { type: 'enum', default: 'rosenbrock', values: SURFACES.map((s) => s.id) },
  eps: { type: 'number', default: 0.1, min: -1, max: 1 },
  kappa: { type: 'number', default: 50, min: 1, max: 1000 },
  x0: { type: 'number', default: Number.NaN },
  y0: { type: 'number', default: Number.NaN },
  steps: { type: 'number', default: 300, min: 1, max: 5000, int: true },
  noise: { type: 'number', default: 0, min: 0, max: 10 },
  seed: { type: 'number', default: 0, min: 0, int: true },
  methods: { type: 'list', default: ['sgd', 'momentum', 'adam', 'rmsprop', 'lbfgs', 'adahessian'], values: ids },
  ...Object.fromEntries(METHODS.flatMap((m) => m.hyper.map((p) => [`${m.id}.${p.key}`, { type: 'number', default: Number.NaN, min: p.min, max: p.max }]))),
} satisfies Schema;
type RaceState = StateOf<typeof RACE_SCHEMA>;

/** Known-good settings, one per surface and then some. */
export const RACE_PRESETS: { name: string; hash: string }[] = [
  { name: 'Rosenbrock: momentum vs Adam', hash: '#surface=rosenbrock&methods=sgd,momentum,nesterov,adam,rmsprop' },
  { name: 'Rosenbrock: Adam, L-BFGS, AdaHessian and Newton-CG side by side', hash: '#surface=rosenbrock&methods=adam,lbfgs,adahessian,newtonCg&steps=200' },
  { name: 'The saddle: what curvature does with ε < 0', hash: '#surface=valley&eps=-0.3&x0=0.05&y0=1&methods=sgd,adam,newtonCg,lbfgs&steps=100' },
  { name: 'Beale: the adaptive methods', hash: '#surface=beale&methods=adagrad,rmsprop,adam,nadam,adamax,radam' },
  { name: 'Saddle (ε < 0): start on the stable manifold; perturbed GD escapes', hash: '#surface=valley&eps=-0.5&x0=0&y0=1.5&methods=sgd,momentum,adam,perturbedGd&perturbedGd.lr=0.01&sgd.lr=0.01&steps=300' },
  { name: 'Saddle with gradient noise', hash: '#surface=valley&eps=-0.5&x0=0&y0=1.5&methods=sgd,momentum,adam&noise=0.5&seed=1&steps=300' },
  { name: 'Quadratic, κ = 100: presets vs framework forms', hash: '#surface=quadratic&kappa=100&methods=sgd,seedSgd,momentum,seedSgdm,seedNag,seedQhm,seedDemon&sgd.lr=0.018&seedSgd.lr=0.018&momentum.lr=0.018&seedSgdm.lr=0.0018&seedNag.lr=0.0018&seedQhm.lr=0.018&seedDemon.lr=0.0018' },
  { name: 'Two minima: who goes where', hash: '#surface=two-minima&methods=sgd,momentum,adam,lion,adadelta' },
];

interface Run {
  method: Method;
  path: { x: number; y: number }[];
  losses: number[];
  status: 'running' | 'done' | 'diverged' | 'error';
  error?: string;
}

const paramsOf = (s: RaceState): SurfaceParams => ({ eps: s.eps, kappa: s.kappa });

function hyperOf(state: RaceState, m: Method, surface: Surface): Record<string, number> {
  const h = defaultHyper(m, surface.lr);
  for (const p of m.hyper) {
    const v = (state as Record<string, unknown>)[`${m.id}.${p.key}`] as number | undefined;
    if (v !== undefined && Number.isFinite(v)) h[p.key] = v;
  }
  return h;
}

function evaluateGrid(surface: Surface, p: SurfaceParams, size = 90): Grid {
  const { xs, ys } = gridPoints(surface.x, surface.y, size);
  const f = surface.f(tensor(xs, { dtype: 'float64' }), tensor(ys, { dtype: 'float64' }), p);
  return { x: surface.x, y: surface.y, size, values: Float64Array.from(f.toArray() as number[]) };
}

/** Mounts the race into `root`; returns its cleanup. */
export function mountRace(root: HTMLElement): () => void {
  const page = pageState(RACE_SCHEMA, {
    onChange: () => {
      build();
      void run();
    },
  });
  let grid: { key: string; grid: Grid } | undefined;
  let runs = 0;

  const controls = h('div', { class: 'pg-controls' });
  const methodBox = h('div', { class: 'pg-methods' });
  const hyperBox = h('div', { class: 'pg-hyper' });
  const contourBox = h('div', { class: 'pg-figure', 'data-testid': 'race-contour', title: 'click to start from there' });
  const lossBox = h('div', { class: 'pg-figure', 'data-testid': 'race-loss' });
  const table = h('table', { class: 'pg-table', 'data-testid': 'race-results' });
  const status = h('p', { class: 'pg-status', 'data-testid': 'race-status' });
  root.append(problemsBox(page.problems), controls, methodBox, hyperBox, h('div', { class: 'pg-row' }, contourBox, lossBox), status, table);
  root.dataset.status = 'loading';

  // `rebuild` for the surface, the methods and the start point, which change the controls shown; the sliders only rerun.
  const setState = (patch: Partial<RaceState>, rebuild = false) => {
    page.set(patch, { quiet: !rebuild });
    if (!rebuild) void run();
  };

  function build() {
    const state = page.get();
    const surface = surfaceById(state.surface);
    controls.replaceChildren(
      page.presetSelect(RACE_PRESETS, 'race-preset', { asWritten: true }),
      select('surface', SURFACES.map((s) => ({ value: s.id, text: s.label })), state.surface, (v) => setState({ surface: v, x0: Number.NaN, y0: Number.NaN }, true), 'race-surface'),
      ...(surface.id === 'valley' ? [slider('ε', { min: -1, max: 1, step: 0.01, value: state.eps }, (v) => setState({ eps: v }))] : []),
      ...(surface.id === 'quadratic' ? [slider('κ', { min: 1, max: 1000, step: 1, value: state.kappa, log: true }, (v) => setState({ kappa: v }))] : []),
      slider('steps', { min: 10, max: 2000, step: 10, value: state.steps }, (v) => setState({ steps: v })),
      slider('gradient noise σ', { min: 0, max: 2, step: 0.01, value: state.noise }, (v) => setState({ noise: v })),
      slider('seed', { min: 0, max: 99, step: 1, value: state.seed }, (v) => setState({ seed: v })),
      button('run again', () => void run(), 'race-run'),
      h('p', { class: 'pg-formula' }, `f(x, y) = ${surface.formula}; start (${fmt(start()[0])}, ${fmt(start()[1])}); cpu backend, float64.`),
    );
    methodBox.replaceChildren();
    for (const family of ['torch.optim preset', 'uniform framework (seed 003)', 'saddle escape (lecture 001)', 'second order'] as const) {
      const group = h('fieldset', {}, h('legend', {}, family));
      for (const m of METHODS.filter((x) => x.family === family)) {
        group.append(
          checkbox(m.label, state.methods.includes(m.id), (on) => setState({ methods: on ? [...state.methods, m.id] : state.methods.filter((x) => x !== m.id) }, true), `method-${m.id}`),
        );
      }
      methodBox.append(group);
    }
    hyperBox.replaceChildren();
    for (const id of state.methods) {
      const m = methodById(id);
      const hp = hyperOf(state, m, surface);
      const row = h('div', { class: 'pg-hyper-row' }, h('strong', {}, m.label));
      for (const p of m.hyper) row.append(slider(p.label, { min: p.min, max: p.max, step: p.step, value: hp[p.key]!, log: p.log, testid: `hyper-${m.id}-${p.key}` }, (v) => setState({ [`${m.id}.${p.key}`]: v } as unknown as Partial<RaceState>)));
      hyperBox.append(row);
    }
  }

  const start = (): [number, number] => {
    const state = page.get();
    const s = surfaceById(state.surface).start;
    return [Number.isFinite(state.x0) ? state.x0 : s[0], Number.isFinite(state.y0) ? state.y0 : s[1]];
  };

  function draw(list: Run[]) {
    const state = page.get();
    const surface = surfaceById(state.surface);
    const key = `${surface.id}:${state.eps}:${state.kappa}`;
    if (grid?.key !== key) grid = { key, grid: evaluateGrid(surface, paramsOf(state)) };
    const plot = contourPlot(grid.grid, list.map((r) => ({ name: r.method.label, points: r.path })), { start: start() });
    plot.addEventListener('click', (e) => {
      const at = clickToData(plot, e as MouseEvent);
      if (at) setState({ x0: Number(at[0].toFixed(3)), y0: Number(at[1].toFixed(3)) }, true);
    });
    contourBox.replaceChildren(plot);
    lossBox.replaceChildren(curvePlot(list.map((r) => ({ name: r.method.label, values: r.losses })), { y: 'f(x, y)' }));
    table.replaceChildren(
      h('tr', {}, h('th', {}, 'method'), h('th', {}, 'family'), h('th', {}, 'f at start'), h('th', {}, `f after ${state.steps} steps`), h('th', {}, 'final (x, y)'), h('th', {}, 'status')),
      ...list.map((r) => {
        const last = r.path.at(-1)!;
        return h(
          'tr',
          { 'data-method': r.method.id, 'data-first': r.losses[0], 'data-last': r.losses.at(-1), 'data-status': r.status },
          h('td', {}, r.method.label),
          h('td', {}, r.method.family),
          h('td', {}, fmt(r.losses[0]!)),
          h('td', {}, fmt(r.losses.at(-1)!)),
          h('td', {}, `(${fmt(last.x)}, ${fmt(last.y)})`),
          h('td', {}, r.error ?? r.status),
        );
      }),
    );
  }

  async function run() {
    const state = page.get();
    const live = page.begin();
    root.dataset.status = 'running';
    await setBackend('cpu');
    const surface = surfaceById(state.surface);
    const p = paramsOf(state);
    const [x0, y0] = start();
    // One noise sequence for all methods: ξₜ ~ N(0, I₂), and the loss f + σ⟨ξₜ, w⟩ has gradient ∇f + σξₜ.
    const xi = state.noise > 0 ? (randn(prng(state.seed), [state.steps, 2], { dtype: 'float64' }).toArray() as number[][]) : undefined;
    const f0 = surface.f(scalar(x0, 'float64'), scalar(y0, 'float64'), p).item();
    const list: Run[] = [];
    const steppers: (() => void)[] = [];
    for (const id of state.methods) {
      const method = methodById(id);
      const r: Run = { method, path: [{ x: x0, y: y0 }], losses: [f0], status: 'running' };
      list.push(r);
      let t = 0;
      const loss = (w: { x: Tensor; y: Tensor }) => {
        const f = surface.f(w.x, w.y, p);
        const n = xi?.[Math.min(t, state.steps - 1)];
        return n ? add(f, mul(state.noise, add(mul(n[0]!, w.x), mul(n[1]!, w.y)))) : f;
      };
      try {
        const step = method.start({ ...hyperOf(state, method, surface), seed: state.seed }, loss, { x: scalar(x0, 'float64'), y: scalar(y0, 'float64') }, state.steps);
        steppers.push(() => {
          if (r.status !== 'running') return;
          try {
            const { params } = step();
            t++;
            const x = params.x.item();
            const y = params.y.item();
            r.path.push({ x, y });
            r.losses.push(surface.f(params.x, params.y, p).item());
            if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 1e6 || Math.abs(y) > 1e6) r.status = 'diverged';
            else if (t >= state.steps) r.status = 'done';
          } catch (e) {
            r.status = 'error';
            r.error = (e as Error).message;
          }
        });
      } catch (e) {
        r.status = 'error';
        r.error = (e as Error).message;
      }
    }
    let lastDraw = performance.now();
    for (let t = 0; t < state.steps; t++) {
      for (const s of steppers) s();
      if (performance.now() - lastDraw > 300) {
        draw(list);
        status.textContent = `step ${t + 1} of ${state.steps}…`;
        await nextFrame();
        if (!live()) return;
        lastDraw = performance.now();
      }
    }
    draw(list);
    runs++;
    status.textContent = `${list.length} methods, ${state.steps} steps each, from (${fmt(x0)}, ${fmt(y0)}).`;
    root.dataset.status = 'done';
    root.dataset.runs = String(runs);
  }

  build();
  void run();
  return page.dispose;
}
