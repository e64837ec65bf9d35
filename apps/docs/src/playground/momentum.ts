// Playground 2: momentum on a quadratic, beyond Distill's one optimizer on one quadratic. On
// f(w) = ½(m·w₁² + M·w₂²), heavy ball (torch's SGD with momentum: v ← βv + g, w ← w − αv) is the
// linear map (wₜ, wₜ₋₁) ↦ ((1 + β − αλ)wₜ − βwₜ₋₁, wₜ) on each eigen-direction λ ∈ {m, M}; its
// rate is the spectral radius ρ(α, β) = max over λ of the larger root modulus of
// z² − (1 + β − αλ)z + β. The page colours the (α, β) plane by ρ and, on a click, runs `sgd` of
// @ddopt/optimizers there, so the measured rate can be read beside the predicted one.
import * as Plot from '@observablehq/plot';
import { type Tensor, add, mul, scalar, setBackend, square } from '@ddopt/tensor';
import { sgd, trainStep } from '@ddopt/optimizers';
import { clickToData, contourPlot, curvePlot, gridPoints } from './plots.js';
import { fmt, h, nextFrame, problemsBox, slider } from './ui.js';
import { pageState } from './page-state.js';
import type { Schema } from './url-state.js';

export const MOMENTUM_SCHEMA = {
  m: { type: 'number', default: 1, min: 0.01, max: 100 },
  M: { type: 'number', default: 10, min: 0.01, max: 1000 },
  alpha: { type: 'number', default: 0.15, min: 0, max: 10 },
  beta: { type: 'number', default: 0.5, min: 0, max: 0.999 },
  steps: { type: 'number', default: 200, min: 10, max: 5000, int: true },
} satisfies Schema;

/** The larger modulus of the roots of z² − b·z + β (one eigen-direction of heavy ball). */
export function rootModulus(b: number, beta: number): number {
  const disc = b * b - 4 * beta;
  if (disc < 0) return Math.sqrt(beta);
  const s = Math.sqrt(disc);
  return Math.max(Math.abs((b + s) / 2), Math.abs((b - s) / 2));
}

/** ρ(α, β) of heavy ball on a quadratic whose Hessian has eigenvalues m and M. */
export function spectralRadius(alpha: number, beta: number, m: number, M: number): number {
  return Math.max(rootModulus(1 + beta - alpha * m, beta), rootModulus(1 + beta - alpha * M, beta));
}

/** Polyak's optimal heavy-ball parameters for eigenvalues in [m, M], and the rate they reach. */
export function optimalHeavyBall(m: number, M: number): { alpha: number; beta: number; rho: number } {
  const k = Math.sqrt(M / m);
  return { alpha: 4 / (Math.sqrt(M) + Math.sqrt(m)) ** 2, beta: ((k - 1) / (k + 1)) ** 2, rho: (k - 1) / (k + 1) };
}

export const MOMENTUM_PRESETS = [
  { name: 'Polyak’s optimum for κ = 10', hash: `#m=1&M=10&alpha=${optimalHeavyBall(1, 10).alpha.toFixed(4)}&beta=${optimalHeavyBall(1, 10).beta.toFixed(4)}` },
  { name: 'GD at α = 1.9/M (just inside the descent lemma)', hash: '#m=1&M=10&alpha=0.19&beta=0' },
  { name: 'GD beyond 2/M diverges; momentum rescues it', hash: '#m=1&M=10&alpha=0.25&beta=0.5' },
  { name: 'Too much momentum: oscillation at rate √β', hash: '#m=1&M=10&alpha=0.05&beta=0.95' },
];

/** Mounts the momentum page into `root`; returns its cleanup. */
export function mountMomentum(root: HTMLElement): () => void {
  const page = pageState(MOMENTUM_SCHEMA, {
    onChange: () => {
      build();
      void run();
    },
  });
  const controls = h('div', { class: 'pg-controls' });
  const plane = h('div', { class: 'pg-figure', 'data-testid': 'momentum-plane', title: 'click to run heavy ball with these (α, β)' });
  const path = h('div', { class: 'pg-figure', 'data-testid': 'momentum-path' });
  const curve = h('div', { class: 'pg-figure', 'data-testid': 'momentum-loss' });
  const readout = h('p', { class: 'pg-status', 'data-testid': 'momentum-readout' });
  root.append(problemsBox(page.problems), controls, h('div', { class: 'pg-row' }, plane, path), readout, curve);

  function build() {
    const state = page.get();
    controls.replaceChildren(
      page.presetSelect(MOMENTUM_PRESETS, 'momentum-preset'),
      slider('smallest eigenvalue m', { min: 0.1, max: 10, step: 0.1, value: state.m }, (v) => page.set({ m: v })),
      slider('largest eigenvalue M', { min: 1, max: 100, step: 1, value: state.M }, (v) => page.set({ M: v })),
      slider('α', { min: 0, max: 4 / state.M, step: 0.001, value: state.alpha }, (v) => page.set({ alpha: v })),
      slider('β', { min: 0, max: 0.999, step: 0.001, value: state.beta }, (v) => page.set({ beta: v })),
      slider('steps', { min: 10, max: 1000, step: 10, value: state.steps }, (v) => page.set({ steps: v })),
    );
    const { m, M } = state;
    const aMax = 4 / M;
    const best = optimalHeavyBall(m, M);
    const boundary = Array.from({ length: 101 }, (_, i) => ({ beta: i / 100, alpha: (2 * (1 + i / 100)) / M })).filter((p) => p.alpha <= aMax);
    const fig = Plot.plot({
      width: 520,
      height: 420,
      x: { domain: [0, aMax], label: 'step size α' },
      y: { domain: [0, 1], label: 'momentum β' },
      color: { type: 'linear', domain: [0, 1], range: ['#1b5e20', '#fff59d'], unknown: '#b71c1c', legend: true, label: 'spectral radius ρ (red: ρ ≥ 1, diverges)' },
      style: { background: 'white' },
      marks: [
        Plot.raster({ x1: 0, x2: aMax, y1: 0, y2: 1, width: 130, height: 100, fill: (a: number, b: number) => { const r = spectralRadius(a, b, m, M); return r < 1 ? r : Number.NaN; } }),
        Plot.ruleX([2 / M], { stroke: 'black', strokeDasharray: '4,3' }),
        Plot.text([2 / M], { x: (d: number) => d, frameAnchor: 'top', dy: 6, dx: 4, textAnchor: 'start', text: () => 'α = 2/M (descent lemma)' }),
        Plot.line(boundary, { x: 'alpha', y: 'beta', stroke: 'black' }),
        Plot.dot([best], { x: 'alpha', y: 'beta', symbol: 'star', r: 6, fill: 'black' }),
        Plot.dot([state], { x: 'alpha', y: 'beta', r: 6, stroke: 'white', strokeWidth: 2, fill: '#1565c0' }),
      ],
    });
    fig.addEventListener('click', (e: Event) => {
      const at = clickToData(fig, e as MouseEvent);
      if (at) page.set({ alpha: Number(Math.max(0, at[0]).toFixed(4)), beta: Number(Math.min(0.999, Math.max(0, at[1])).toFixed(3)) });
    });
    plane.replaceChildren(fig, h('p', { class: 'pg-caption' }, `Black curve: α = 2(1 + β)/M, where heavy ball stops converging; ★ Polyak’s optimum α = ${fmt(best.alpha)}, β = ${fmt(best.beta)} (ρ = ${fmt(best.rho)}).`));
  }

  async function run() {
    const state = page.get();
    const live = page.begin();
    root.dataset.status = 'running';
    await setBackend('cpu');
    const { m, M, alpha, beta, steps } = state;
    const loss = (w: { a: Tensor; b: Tensor }) => mul(0.5, add(mul(m, square(w.a)), mul(M, square(w.b))));
    const tx = sgd({ lr: alpha, momentum: beta });
    const init = { a: scalar(1, 'float64'), b: scalar(1, 'float64') };
    let current = { params: init, state: tx.init(init) };
    const points = [{ x: 1, y: 1 }];
    const norms = [Math.SQRT2];
    for (let t = 0; t < steps; t++) {
      current = trainStep(loss, tx, current);
      const x = current.params.a.item();
      const y = current.params.b.item();
      points.push({ x, y });
      norms.push(Math.hypot(x, y));
      if (!Number.isFinite(x + y) || Math.hypot(x, y) > 1e12) break;
      if (t % 200 === 199) {
        await nextFrame();
        if (!live()) return;
      }
    }
    const losses = points.map((p) => 0.5 * (m * p.x * p.x + M * p.y * p.y));
    // The measured rate over the second half of the run: (‖wₜ‖ / ‖w_{T/2}‖)^(1/(T/2)).
    const half = Math.floor((norms.length - 1) / 2);
    const measured = (norms.at(-1)! / norms[half]!) ** (1 / (norms.length - 1 - half));
    const rho = spectralRadius(alpha, beta, m, M);
    const span = 1.2;
    const { xs, ys } = gridPoints([-span, span], [-span, span], 60);
    const values = new Float64Array(xs.length).map((_, i) => 0.5 * (m * xs[i]! ** 2 + M * ys[i]! ** 2));
    path.replaceChildren(contourPlot({ x: [-span, span], y: [-span, span], size: 60, values }, [{ name: `α = ${fmt(alpha)}, β = ${fmt(beta)}`, points }], { start: [1, 1] }));
    curve.replaceChildren(curvePlot([{ name: 'f(wₜ)', values: losses }, { name: 'f(w₀)·ρ^{2t} (predicted)', values: losses.map((_, t) => losses[0]! * rho ** (2 * t)) }], { y: 'f(wₜ)', type: 'log' }));
    readout.replaceChildren(`predicted rate ρ = ${fmt(rho)}; measured (‖w_T‖/‖w_{T/2}‖)^{2/T} = ${fmt(measured)}; f went from ${fmt(losses[0]!)} to ${fmt(losses.at(-1)!)} in ${points.length - 1} steps of torch-style sgd({ lr: ${fmt(alpha)}, momentum: ${fmt(beta)} }).`);
    Object.assign(readout.dataset, { rho: String(rho), measured: String(measured), first: String(losses[0]), last: String(losses.at(-1)) });
    root.dataset.status = 'done';
  }

  build();
  void run();
  return page.dispose;
}
