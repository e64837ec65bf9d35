// Playground 4: the curvature viewer. The page's network (an MLP on circles) trains by full-batch
// gradient descent; every few steps the Hessian's top eigenvalues are recomputed with
// `hessianEigenvalues` of @ddopt/second-order (Lanczos), beside the descent lemma's 2/α, and at
// the end its spectral density by stochastic Lanczos quadrature (`hessianDensity`, `densityOnGrid`).
import { circles } from '@ddopt/datasets';
import { mlp, softmaxCrossEntropy } from '@ddopt/layers';
import { sgd, trainStep } from '@ddopt/optimizers';
import { densityOnGrid, hessianDensity, hessianEigenvalues } from '@ddopt/second-order';
import { type Key, type PyTree, prng, setBackend, splitKey, treeLeaves } from '@ddopt/tensor';
import * as Plot from '@observablehq/plot';
import { fmt, h, nextFrame, problemsBox, slider } from './ui.js';
import { pageState } from './page-state.js';
import type { Schema } from './url-state.js';

export const CURVATURE_SCHEMA = {
  lr: { type: 'number', default: 0.5, min: 1e-4, max: 10 },
  width: { type: 'number', default: 8, min: 1, max: 64, int: true },
  rounds: { type: 'number', default: 8, min: 1, max: 50, int: true },
  stepsPerRound: { type: 'number', default: 40, min: 1, max: 1000, int: true },
  k: { type: 'number', default: 3, min: 1, max: 10, int: true },
  seed: { type: 'number', default: 0, min: 0, int: true },
} satisfies Schema;

export const CURVATURE_PRESETS = [
  { name: 'GD at α = 0.5: λmax settles below 2/α', hash: '#lr=0.5&width=8&rounds=8&stepsPerRound=40' },
  { name: 'GD at α = 2: the edge of stability', hash: '#lr=2&width=8&rounds=10&stepsPerRound=40' },
  { name: 'a wider network', hash: '#lr=0.5&width=32&rounds=6&stepsPerRound=40&k=5' },
];

/** Mounts the curvature viewer into `root`; returns its cleanup. */
export function mountCurvature(root: HTMLElement): () => void {
  const page = pageState(CURVATURE_SCHEMA, {
    onChange: () => {
      build();
      void run();
    },
  });
  const controls = h('div', { class: 'pg-controls' });
  const eig = h('div', { class: 'pg-figure', 'data-testid': 'curvature-eigenvalues' });
  const dens = h('div', { class: 'pg-figure', 'data-testid': 'curvature-density' });
  const readout = h('p', { class: 'pg-status', 'data-testid': 'curvature-readout' });
  root.append(problemsBox(page.problems), controls, h('div', { class: 'pg-row' }, eig, dens), readout);

  function build() {
    const state = page.get();
    controls.replaceChildren(
      page.presetSelect(CURVATURE_PRESETS, 'curvature-preset'),
      slider('GD step α', { min: 0.01, max: 5, step: 0.01, value: state.lr, log: true }, (v) => page.set({ lr: v })),
      slider('hidden width', { min: 1, max: 64, step: 1, value: state.width }, (v) => page.set({ width: v })),
      slider('rounds', { min: 1, max: 20, step: 1, value: state.rounds }, (v) => page.set({ rounds: v })),
      slider('steps per round', { min: 5, max: 200, step: 5, value: state.stepsPerRound }, (v) => page.set({ stepsPerRound: v })),
      slider('eigenvalues k', { min: 1, max: 8, step: 1, value: state.k }, (v) => page.set({ k: v })),
      slider('seed', { min: 0, max: 99, step: 1, value: state.seed }, (v) => page.set({ seed: v })),
    );
  }

  async function run() {
    const state = page.get();
    const live = page.begin();
    root.dataset.status = 'running';
    await setBackend('cpu');
    const { lr, width, rounds, stepsPerRound, k, seed } = state;
    const [kData, kInit] = splitKey(prng(seed), 2) as [Key, Key];
    const data = circles({ n: 200, key: kData, noise: 0.1, dtype: 'float64' });
    const model = mlp([width, 2], 'tanh');
    const loss = (p: PyTree) => softmaxCrossEntropy(model.apply(p as never, data.x), data.y);
    const init = model.init(kInit, [2], { dtype: 'float64' }).params as PyTree;
    const dim = treeLeaves(init).reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
    const tx = sgd({ lr });
    let current = { params: init, state: tx.init(init) };
    const rows: { step: number; i: number; value: number }[] = [];
    const losses: number[] = [];
    for (let r = 0; r <= rounds; r++) {
      const top = hessianEigenvalues(loss, current.params, { k: Math.min(k, dim), method: 'lanczos', seed });
      for (const [i, value] of top.eigenvalues.entries()) rows.push({ step: r * stepsPerRound, i: i + 1, value });
      const lossNow = loss(current.params).item();
      losses.push(lossNow);
      drawEigen(rows, lr);
      readout.textContent = `step ${r * stepsPerRound}: loss ${fmt(lossNow)}, λmax ${fmt(top.eigenvalues[0]!)} (2/α = ${fmt(2 / lr)}); ${dim} parameters`;
      await nextFrame();
      if (!live()) return;
      if (r === rounds) break;
      for (let t = 0; t < stepsPerRound; t++) {
        const next = trainStep(loss, tx, current);
        current = { params: next.params, state: next.state };
      }
    }
    const density = hessianDensity(loss, current.params, { iter: Math.min(60, dim), seed });
    const grid = densityOnGrid(density, { bins: 400, sigma2: 1e-3 });
    dens.replaceChildren(
      Plot.plot({
        width: 420,
        height: 300,
        x: { label: 'eigenvalue of the Hessian' },
        y: { label: 'density', type: 'log', tickFormat: '~e', domain: [1e-6, Math.max(...grid.density) * 2] },
        style: { background: 'white' },
        marks: [Plot.line(grid.grid.map((x, i) => ({ x, y: Math.max(grid.density[i]!, 1e-6) })), { x: 'x', y: 'y', stroke: '#1565c0' })],
      }),
      h('p', { class: 'pg-caption' }, `Stochastic Lanczos quadrature after training (${Math.min(60, dim)} Lanczos steps on ${dim} parameters).`),
    );
    const lmax = rows.filter((r) => r.i === 1).map((r) => r.value);
    readout.textContent = `GD with α = ${fmt(lr)} on a 2-${width}-2 tanh network: loss ${fmt(losses[0]!)} → ${fmt(losses.at(-1)!)}; λmax ${fmt(lmax[0]!)} → ${fmt(lmax.at(-1)!)}, against 2/α = ${fmt(2 / lr)}.`;
    Object.assign(readout.dataset, { first: String(losses[0]), last: String(losses.at(-1)), lambdaMax: String(lmax.at(-1)), dim: String(dim) });
    root.dataset.status = 'done';
  }

  function drawEigen(rows: { step: number; i: number; value: number }[], lr: number) {
    eig.replaceChildren(
      Plot.plot({
        width: 420,
        height: 300,
        x: { label: 'GD step' },
        y: { label: 'top Hessian eigenvalues', grid: true },
        color: { legend: true, type: 'ordinal' },
        style: { background: 'white' },
        marks: [
          Plot.line(rows, { x: 'step', y: 'value', z: 'i', stroke: (d: { i: number }) => `λ${d.i}` }),
          Plot.dot(rows, { x: 'step', y: 'value', fill: (d: { i: number }) => `λ${d.i}`, r: 2.5 }),
          Plot.ruleY([2 / lr], { stroke: 'black', strokeDasharray: '4,3' }),
          Plot.text([2 / lr], { y: (d: number) => d, frameAnchor: 'right', dy: -6, textAnchor: 'end', text: () => '2/α (descent lemma)' }),
        ],
      }),
    );
  }

  build();
  void run();
  return page.dispose;
}
