// Playground 3: train a network in the page. A 2-D dataset of @ddopt/datasets (circles, two
// spirals, XOR, Gaussian blobs) or its MNIST digits, an MLP of @ddopt/layers with editable widths and activation,
// any optimizer of methods.ts, on the cpu backend (float64) or webgl (float32, tfjs kernels).
import { circles, gaussianBlobs, mnist, twoSpirals, xor } from '@ddopt/datasets';
import { type ActivationName, accuracy, mlp, softmaxCrossEntropy } from '@ddopt/layers';
import { type FloatDType, type Key, type PyTree, type Tensor, dispose, prng, setBackend, softmax, splitKey, tensor, tidy, treeLeaves } from '@ddopt/tensor';
import * as Plot from '@observablehq/plot';
import { METHODS, defaultHyper, methodById } from './methods.js';
import { curvePlot, gridPoints } from './plots.js';
import { fmt, h, nextFrame, problemsBox, select, slider, textField } from './ui.js';
import { pageState } from './page-state.js';
import type { Schema, StateOf } from './url-state.js';

const DATASETS = ['circles', 'spirals', 'xor', 'gaussians', 'digits'] as const;
const ACTIVATIONS: ActivationName[] = ['relu', 'tanh', 'sigmoid', 'gelu', 'softplus', 'leakyRelu'];
const trainable = METHODS;

export const TRAIN_SCHEMA = {
  dataset: { type: 'enum', default: 'circles', values: DATASETS },
  n: { type: 'number', default: 200, min: 20, max: 2000, int: true },
  noise: { type: 'number', default: 0.1, min: 0, max: 1 },
  widths: { type: 'text', default: '16,16', pattern: /^[1-9]\d{0,2}(,[1-9]\d{0,2}){0,4}$/, hint: 'one to five hidden widths of 1–999 units, comma-separated (e.g. 16,16)' },
  activation: { type: 'enum', default: 'tanh', values: ACTIVATIONS },
  optimizer: { type: 'enum', default: 'adam', values: trainable.map((m) => m.id) },
  lr: { type: 'number', default: 0.02, min: 1e-5, max: 10 },
  steps: { type: 'number', default: 300, min: 1, max: 5000, int: true },
  backend: { type: 'enum', default: 'cpu', values: ['cpu', 'webgl'] },
  seed: { type: 'number', default: 0, min: 0, int: true },
} satisfies Schema;
type TrainState = StateOf<typeof TRAIN_SCHEMA>;

export const TRAIN_PRESETS = [
  { name: 'Circles, tanh 16-16, Adam', hash: '#dataset=circles&widths=16,16&activation=tanh&optimizer=adam&lr=0.02&steps=300' },
  { name: 'Two spirals, relu 32-32, Adam (harder)', hash: '#dataset=spirals&n=300&noise=0.05&widths=32,32&activation=relu&optimizer=adam&lr=0.01&steps=1000' },
  { name: 'Two overlapping Gaussians, a linear-ish boundary', hash: '#dataset=gaussians&n=300&noise=0.6&widths=4&activation=tanh&optimizer=adam&lr=0.02&steps=200' },
  { name: 'XOR, SGD with momentum', hash: '#dataset=xor&widths=8,8&activation=tanh&optimizer=momentum&lr=0.1&steps=400' },
  { name: 'MNIST digits, 784-32-10, Adam', hash: '#dataset=digits&n=500&widths=32&activation=relu&optimizer=adam&lr=0.005&steps=150' },
  { name: 'Circles on webgl (float32)', hash: '#dataset=circles&widths=16,16&activation=tanh&optimizer=adam&lr=0.02&steps=150&backend=webgl' },
];

interface Data {
  x: Tensor;
  y: Tensor;
  test?: { x: Tensor; y: Tensor };
  points?: { x: number; y: number; c: number }[];
  inputs: number;
  classes: number;
}

async function loadData(s: TrainState, key: Key, dtype: FloatDType): Promise<Data> {
  if (s.dataset === 'digits') {
    const { train, test } = await mnist({ train: s.n, test: Math.min(1000, 10000 - s.n), seed: s.seed, dtype });
    return { x: train.x, y: train.y, test: { x: test.x, y: test.y }, inputs: 784, classes: 10 };
  }
  // Gaussian blobs at (−1, −1) and (1, 1): the noise slider is each blob's standard deviation.
  const d = s.dataset === 'gaussians' ? gaussianBlobs({ n: s.n, key, std: s.noise, dtype }) : (s.dataset === 'circles' ? circles : s.dataset === 'spirals' ? twoSpirals : xor)({ n: s.n, key, noise: s.noise, dtype });
  const xs = d.x.toArray() as number[][];
  const ys = d.y.toArray() as number[];
  return { x: d.x, y: d.y, points: xs.map((p, i) => ({ x: p[0]!, y: p[1]!, c: ys[i]! })), inputs: 2, classes: 2 };
}

/** Mounts the training page into `root`; returns its cleanup. */
export function mountTrain(root: HTMLElement): () => void {
  const page = pageState(TRAIN_SCHEMA, {
    onChange: () => {
      build();
      void run();
    },
  });
  const controls = h('div', { class: 'pg-controls' });
  const boundary = h('div', { class: 'pg-figure', 'data-testid': 'train-boundary' });
  const curve = h('div', { class: 'pg-figure', 'data-testid': 'train-loss' });
  const readout = h('p', { class: 'pg-status', 'data-testid': 'train-readout' });
  root.append(problemsBox(page.problems), controls, h('div', { class: 'pg-row' }, boundary, curve), readout);

  function build() {
    const state = page.get();
    const opts = (values: readonly string[]) => values.map((v) => ({ value: v, text: v }));
    controls.replaceChildren(
      page.presetSelect(TRAIN_PRESETS, 'train-preset'),
      select('data', opts(DATASETS), state.dataset, (v) => page.set({ dataset: v }), 'train-dataset'),
      slider('samples', { min: 20, max: state.dataset === 'digits' ? 2000 : 1000, step: 10, value: state.n }, (v) => page.set({ n: v })),
      ...(state.dataset === 'digits' ? [] : [slider(state.dataset === 'gaussians' ? 'blob std' : 'noise', { min: 0, max: state.dataset === 'gaussians' ? 1 : 0.5, step: 0.01, value: state.noise }, (v) => page.set({ noise: v }))]),
      textField('hidden widths', state.widths, TRAIN_SCHEMA.widths.pattern, TRAIN_SCHEMA.widths.hint, (v) => page.set({ widths: v }), 'train-widths'),
      select('activation', opts(ACTIVATIONS), state.activation, (v) => page.set({ activation: v }), 'train-activation'),
      select('optimizer', trainable.map((m) => ({ value: m.id, text: `${m.label} — ${m.family}` })), state.optimizer, (v) => page.set({ optimizer: v }), 'train-optimizer'),
      slider('learning rate', { min: 1e-4, max: 1, step: 0.01, value: state.lr, log: true }, (v) => page.set({ lr: v })),
      slider('steps', { min: 10, max: 2000, step: 10, value: state.steps }, (v) => page.set({ steps: v })),
      select('backend', [{ value: 'cpu', text: 'cpu (float64)' }, { value: 'webgl', text: 'webgl (float32)' }], state.backend, (v) => page.set({ backend: v }), 'train-backend'),
      slider('seed', { min: 0, max: 99, step: 1, value: state.seed }, (v) => page.set({ seed: v })),
    );
  }

  function drawBoundary(model: ReturnType<typeof mlp>, params: PyTree, data: Data, dtype: FloatDType) {
    if (!data.points) {
      boundary.replaceChildren(h('p', {}, 'Digits have 784 inputs: no decision boundary to draw; the accuracy is below.'));
      return;
    }
    const ext = Math.max(...data.points.map((p) => Math.max(Math.abs(p.x), Math.abs(p.y)))) * 1.1;
    const size = 40;
    const { xs, ys } = gridPoints([-ext, ext], [-ext, ext], size);
    const probs = tidy(() => {
      const grid = tensor(Array.from(xs, (x, i) => [x, ys[i]!]), { dtype });
      return softmax(model.apply(params as never, grid), 1).toArray() as number[][];
    });
    const cells = probs.map((p, i) => ({ x: xs[i]!, y: ys[i]!, p: p[1]! }));
    boundary.replaceChildren(
      Plot.plot({
        width: 420,
        height: 420,
        x: { domain: [-ext, ext] },
        y: { domain: [-ext, ext] },
        color: { type: 'diverging', domain: [0, 1], scheme: 'RdBu', pivot: 0.5 },
        style: { background: 'white' },
        marks: [
          Plot.raster(cells, { x: 'x', y: 'y', fill: 'p', width: size, height: size, x1: -ext, x2: ext, y1: -ext, y2: ext, interpolate: 'nearest', fillOpacity: 0.6 }),
          Plot.dot(data.points, { x: 'x', y: 'y', fill: (d: { c: number }) => (d.c === 1 ? '#08306b' : '#67000d'), r: 2.5 }),
        ],
      }),
    );
  }

  async function run() {
    const state = page.get();
    const live = page.begin();
    root.dataset.status = 'running';
    readout.textContent = `starting the ${state.backend} backend…`;
    try {
      if (state.backend === 'webgl') await import('@ddopt/tensor/webgl');
      await setBackend(state.backend);
    } catch (e) {
      readout.textContent = `The ${state.backend} backend did not start here: ${(e as Error).message}`;
      root.dataset.status = 'error';
      return;
    }
    const dtype: FloatDType = state.backend === 'cpu' ? 'float64' : 'float32';
    const [kData, kInit] = splitKey(prng(state.seed), 2) as [Key, Key];
    const data = await loadData(state, kData, dtype);
    if (!live()) return;
    const widths = [...state.widths.split(',').map(Number), data.classes];
    const model = mlp(widths, state.activation as ActivationName);
    const init = tidy(() => model.init(kInit, [data.inputs], { dtype }).params);
    const method = methodById(state.optimizer);
    const hyper = { ...defaultHyper(method), lr: state.lr };
    const loss = (p: PyTree) => softmaxCrossEntropy(model.apply(p as never, data.x), data.y);
    const step = method.start(hyper, loss, init, state.steps);
    const losses: number[] = [];
    let params: PyTree = init;
    const t0 = performance.now();
    let lastDraw = t0;
    for (let t = 0; t < state.steps; t++) {
      const r = step();
      params = r.params;
      losses.push(r.loss);
      if (performance.now() - lastDraw > 400 || t === state.steps - 1) {
        drawBoundary(model, params, data, dtype);
        curve.replaceChildren(curvePlot([{ name: 'training loss', values: losses }], { y: 'cross-entropy', type: 'log', width: 420, height: 300 }));
        readout.textContent = `step ${t + 1} of ${state.steps}, loss ${fmt(r.loss)}`;
        await nextFrame();
        if (!live()) {
          dispose([treeLeaves(params), data.x, data.y]);
          return;
        }
        lastDraw = performance.now();
      }
    }
    const trainAcc = tidy(() => accuracy(model.apply(params as never, data.x), data.y));
    const testAcc = data.test ? tidy(() => accuracy(model.apply(params as never, data.test!.x), data.test!.y)) : undefined;
    const seconds = (performance.now() - t0) / 1000;
    readout.textContent = `${method.label} on ${state.dataset}, ${state.backend} ${dtype}: loss ${fmt(losses[0]!)} → ${fmt(losses.at(-1)!)} in ${state.steps} steps (${fmt(seconds)} s); training accuracy ${fmt(trainAcc)}${testAcc === undefined ? '' : `, test accuracy ${fmt(testAcc)}`}.`;
    Object.assign(readout.dataset, { first: String(losses[0]), last: String(losses.at(-1)), trainAccuracy: String(trainAcc), backend: state.backend });
    // The run's tensors can go now (on webgl they hold GPU memory until disposed).
    dispose([treeLeaves(params), data.x, data.y, data.test?.x, data.test?.y].filter((t) => t !== undefined) as PyTree);
    root.dataset.status = 'done';
  }

  build();
  void run();
  return page.dispose;
}
