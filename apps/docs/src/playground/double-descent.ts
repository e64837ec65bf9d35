// Playground 5: double descent of min-norm least squares (seed 003, §4; Nakkiran 2019). Test
// error against the number of samples n at dimension d: the closed forms of @ddopt/theory
// (the report's large-d limit, eqs. 2–5, and the exact finite-n expectation) beside fresh
// min-norm fits β̂ = X†y on @ddopt/datasets' `nakkiranRegression` data, in float64 on cpu.
import { nakkiranRegression } from '@ddopt/datasets';
import { type Key, matmul, mean, pinv, prng, setBackend, splitKey, square, sub, tidy } from '@ddopt/tensor';
import { minNormRisk, minNormRiskExact } from '@ddopt/theory';
import * as Plot from '@observablehq/plot';
import { fmt, h, nextFrame, problemsBox, slider } from './ui.js';
import { pageState } from './page-state.js';
import type { Schema } from './url-state.js';

export const DD_SCHEMA = {
  d: { type: 'number', default: 40, min: 5, max: 300, int: true },
  sigma: { type: 'number', default: 0.3, min: 0, max: 2 },
  trials: { type: 'number', default: 6, min: 1, max: 50, int: true },
  seed: { type: 'number', default: 0, min: 0, int: true },
} satisfies Schema;

export const DD_PRESETS = [
  { name: 'd = 40, σ = 0.3 (a clear peak)', hash: '#d=40&sigma=0.3&trials=6' },
  { name: 'd = 100, σ = 0.1 (the report’s σ)', hash: '#d=100&sigma=0.1&trials=4' },
  { name: 'no noise: the peak is the bias alone', hash: '#d=40&sigma=0&trials=6' },
];

/** The n values of the sweep: multiples of d from 0.1d to 3d, with n = d − 2 … d + 2 around the peak. */
export function sampleSizes(d: number): number[] {
  const g = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.1, 1.2, 1.4, 1.6, 2, 2.5, 3];
  return [...new Set([...g.map((x) => Math.max(1, Math.round(x * d))), d - 2, d, d + 2].filter((n) => n >= 1))].sort((a, b) => a - b);
}

/** Mean test MSE of `trials` fresh min-norm fits at (n, d, σ). */
function empirical(n: number, d: number, sigma: number, trials: number, key: Key): number {
  let total = 0;
  const keys = splitKey(key, trials);
  for (const k of keys) {
    total += tidy(() => {
      const [kTrain, kTest] = splitKey(k, 2) as [Key, Key];
      const train = nakkiranRegression({ d, n, sigma, key: kTrain, dtype: 'float64' });
      const test = nakkiranRegression({ d, n: 200, sigma, key: kTest, beta: train.beta, dtype: 'float64' });
      const betaHat = matmul(pinv(train.x), train.y);
      return mean(square(sub(matmul(test.x, betaHat), test.y))).item();
    });
  }
  return total / trials;
}

/** Mounts the double-descent page into `root`; returns its cleanup. */
export function mountDoubleDescent(root: HTMLElement): () => void {
  const page = pageState(DD_SCHEMA, {
    onChange: () => {
      build();
      void run();
    },
  });
  const controls = h('div', { class: 'pg-controls' });
  const figure = h('div', { class: 'pg-figure', 'data-testid': 'dd-figure' });
  const table = h('table', { class: 'pg-table', 'data-testid': 'dd-table' });
  const readout = h('p', { class: 'pg-status', 'data-testid': 'dd-readout' });
  root.append(problemsBox(page.problems), controls, figure, readout, table);

  function build() {
    const state = page.get();
    controls.replaceChildren(
      page.presetSelect(DD_PRESETS, 'dd-preset'),
      slider('dimension d', { min: 5, max: 150, step: 1, value: state.d }, (v) => page.set({ d: v })),
      slider('noise σ', { min: 0, max: 1, step: 0.01, value: state.sigma }, (v) => page.set({ sigma: v })),
      slider('fits per n', { min: 1, max: 20, step: 1, value: state.trials }, (v) => page.set({ trials: v })),
      slider('seed', { min: 0, max: 99, step: 1, value: state.seed }, (v) => page.set({ seed: v })),
    );
  }

  async function run() {
    const state = page.get();
    const live = page.begin();
    root.dataset.status = 'running';
    await setBackend('cpu');
    const { d, sigma, trials, seed } = state;
    const ns = sampleSizes(d);
    const keys = splitKey(prng(seed), ns.length);
    const rows: { n: number; fit: number; exact: number; limit: number }[] = [];
    for (const [i, n] of ns.entries()) {
      rows.push({ n, fit: empirical(n, d, sigma, trials, keys[i]!), exact: minNormRiskExact({ n, d, sigma }).testMse, limit: minNormRisk({ n, d, sigma }).testMse });
      readout.textContent = `fitting n = ${n} (${i + 1} of ${ns.length})…`;
      await nextFrame();
      if (!live()) return;
    }
    const curve = Array.from({ length: 3 * d }, (_, i) => i + 1).filter((n) => n !== d);
    const finite = (v: number) => Number.isFinite(v) && v > 0;
    const top = Math.max(...rows.map((r) => r.fit).filter(finite)) * 1.5;
    figure.replaceChildren(
      Plot.plot({
        width: 680,
        height: 380,
        x: { label: 'samples n', grid: true },
        y: { label: 'test MSE', type: 'log', grid: true, domain: [Math.max(1e-3, sigma ** 2 * 0.5), top] },
        color: { legend: true },
        style: { background: 'white' },
        marks: [
          Plot.line(curve.map((n) => ({ n, v: minNormRisk({ n, d, sigma }).testMse, s: 'large-d limit (eqs. 2–5)' })).filter((r) => finite(r.v) && r.v < top), { x: 'n', y: 'v', stroke: 's', clip: true }),
          Plot.line(rows.filter((r) => finite(r.exact) && r.exact < top).map((r) => ({ ...r, s: 'exact expectation' })), { x: 'n', y: 'exact', stroke: 's', strokeDasharray: '4,3', clip: true }),
          Plot.dot(rows.filter((r) => finite(r.fit)).map((r) => ({ ...r, s: `min-norm fits (mean of ${trials})` })), { x: 'n', y: 'fit', stroke: 's', r: 3.5, clip: true }),
          Plot.ruleX([d], { stroke: '#888', strokeDasharray: '3,3' }),
        ],
      }),
    );
    table.replaceChildren(
      h('tr', {}, h('th', {}, 'n'), h('th', {}, 'n/d'), h('th', {}, 'fits: test MSE'), h('th', {}, 'exact expectation'), h('th', {}, 'large-d limit')),
      ...rows.map((r) => h('tr', { 'data-n': r.n, 'data-fit': r.fit, 'data-exact': r.exact }, h('td', {}, String(r.n)), h('td', {}, fmt(r.n / d)), h('td', {}, fmt(r.fit)), h('td', {}, fmt(r.exact)), h('td', {}, fmt(r.limit)))),
    );
    const peak = rows.reduce((a, b) => (b.fit > a.fit ? b : a));
    readout.textContent = `d = ${d}, σ = ${sigma}: the fits peak at n = ${peak.n} (test MSE ${fmt(peak.fit)}); more data hurts between n ≈ d/2 and n = d.`;
    readout.dataset.peakN = String(peak.n);
    root.dataset.status = 'done';
  }

  build();
  void run();
  return page.dispose;
}
