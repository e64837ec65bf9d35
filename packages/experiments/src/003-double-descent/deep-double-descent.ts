// Deep double descent, model-wise (double-descent report, seed 003, "Deep double descent"), in three
// parts, all on MNIST digits of @ddopt/datasets and all one sweep (one job per grid point):
// - random Fourier features (Belkin et al. 2019, figure 2): min-norm least squares on N features,
//   one-hot targets; test error and ‖W‖ against N, peak where N reaches n (the interpolation threshold);
// - a two-layer fully connected net (Belkin et al., figures 4 and 5): squared loss, widths H swept,
//   with and without weight reuse (below the threshold n_p = nK each net starts from the previous
//   trained one, the new weights N(0, 0.01)); test and train loss against the number of parameters;
// - the 5-layer CNN of width k (Nakkiran et al. 2019, figure 7; `cnnK` of @ddopt/layers) with 0%,
//   10%, 20% label noise (`labelNoise` of @ddopt/datasets), Adam on cross-entropy; test error vs k.
// Each job draws its own initialisation or features from its job seed; the digits and their split
// (and, for the CNN, the noisy labels of one noise level) come from the sweep's seed.
import { batches, labelNoise, mnist } from '@ddopt/datasets';
import { cnnK, countParams, embedParams, initializers, type Module, mlp, mse, RandomFourierFeatures, softmaxCrossEntropy } from '@ddopt/layers';
import { adam, trainStep } from '@ddopt/optimizers';
import { argmax, avgPool2d, dispose, foldIn, gather, keep, matmul, oneHot, pinv, prng, reshape, type Tensor, tensor, tidy, treeMap, withBackend } from '@ddopt/tensor';
import { breathe, type Experiment, type ExperimentResult, type FigureSpec, type GridPoint, type JobConfig, type JobOutput, type JobRecord, type RunConfig } from '../contract.js';
import { runSweepInline } from '../sweep.js';

/** Kernel bandwidth σ of the Gaussian kernel the features approximate (Belkin et al. use σ = 5 on MNIST in [0, 1]). */
const SIGMA = 5;
/** A fit "interpolates" when its training mean squared error (per output) is below this. */
const INTERPOLATION_MSE = 1e-10;
const CLASSES = 10;
/** A pytree of params or state, as layers' modules take them. */
type Tree = Parameters<Module['apply']>[0];

interface Sizes {
  rff: { n: number; nTest: number; features: number[] };
  /** Two-layer net: `side` is the digit's side after 2×2 average pooling (14) or as shipped (28). */
  fc: { n: number; nTest: number; side: number; widths: number[]; epochs: number; batch: number; lr: number };
  cnn: { n: number; nTest: number; side: number; widths: number[]; noises: number[]; epochs: number; batch: number; lr: number };
}

function sizes(mode: RunConfig['mode']): Sizes {
  if (mode === 'full') {
    return {
      rff: { n: 2000, nTest: 2000, features: [200, 600, 1000, 1400, 1800, 1900, 2000, 2100, 2200, 2600, 3000, 4000, 6000, 8000] },
      // Belkin et al.'s n = 4·10³ digits at 784 pixels: the threshold nK = 4·10⁴ is at H ≈ 50.
      fc: { n: 4000, nTest: 2000, side: 28, widths: [4, 8, 16, 24, 32, 40, 46, 50, 54, 60, 70, 100, 200, 400, 800], epochs: 2000, batch: 500, lr: 1e-3 },
      cnn: { n: 4000, nTest: 2000, side: 28, widths: [1, 2, 3, 4, 6, 8, 10, 12, 16], noises: [0, 0.1, 0.2], epochs: 200, batch: 128, lr: 1e-3 },
    };
  }
  return {
    rff: { n: 200, nTest: 1000, features: [20, 60, 100, 140, 180, 190, 200, 210, 220, 260, 300, 400, 800, 1600] },
    // n = 200 digits at 14×14 (d = 196): the threshold nK = 2000 is at H ≈ 9.7.
    fc: { n: 200, nTest: 1000, side: 14, widths: [2, 4, 6, 8, 9, 10, 12, 16, 32, 96], epochs: 200, batch: 200, lr: 1e-3 },
    cnn: { n: 100, nTest: 200, side: 14, widths: [1, 2, 4], noises: [0, 0.1, 0.2], epochs: 6, batch: 25, lr: 1e-2 },
  };
}

/** Parameters of the two-layer net d → H → K: n_p = (d + 1)H + (H + 1)K (the report's formula). */
export function fcParams(d: number, width: number): number {
  return (d + 1) * width + (width + 1) * CLASSES;
}

// ---------------------------------------------------------------------------------------------
// Shared by the network parts here and by epoch-wise-double-descent.

/** @internal Labelled digits on the current backend: x [n, d] (flat) or [n, 1, side, side] (image). */
export interface Digits {
  x: Tensor;
  /** int32 labels [n] */
  y: Tensor;
}

/**
 * @internal `n` training and `nTest` test digits of `mnist` (split by `seed`), at `side` 28 (as
 * shipped) or 14 (2×2 average pooling), flat or as images.
 */
export async function loadDigits(o: { n: number; nTest: number; seed: number; side: number; layout: 'flat' | 'image' }): Promise<{ train: Digits; test: Digits }> {
  if (o.side !== 28 && o.side !== 14) throw new RangeError(`loadDigits: side must be 28 or 14, got ${o.side}`);
  const data = await mnist({ train: o.n, test: o.nTest, seed: o.seed, layout: 'image', dtype: 'float32' });
  const shape = (x: Tensor): Tensor => {
    if (o.side === 28 && o.layout === 'image') return x;
    const out = tidy(() => {
      const pooled = o.side === 14 ? avgPool2d(x, { kernelSize: 2 }) : x;
      return o.layout === 'flat' ? reshape(pooled, [pooled.shape[0]!, o.side * o.side]) : pooled;
    });
    x.dispose();
    return out;
  };
  return { train: { x: shape(data.train.x), y: data.train.y }, test: { x: shape(data.test.x), y: data.test.y } };
}

/** @internal Loss and zero-one error of a trained classifier; the squared loss is Σ_k (f_k − y_k)² averaged over samples. */
export interface Evaluation {
  loss: number;
  error: number;
}

/** @internal The classifier's loss: squared loss on one-hot targets (Belkin et al.) or softmax cross-entropy (Nakkiran et al.). */
export type LossKind = 'squared' | 'cross-entropy';

function lossOf(kind: LossKind, logits: Tensor, y: Tensor): Tensor {
  // mse's mean over the N·K entries is (1/K) of the per-sample squared loss; Adam does not mind the scale.
  return kind === 'squared' ? mse(logits, oneHot(y, CLASSES, logits.dtype), { half: false }) : softmaxCrossEntropy(logits, y);
}

/** @internal Loss and error of `model` on `data` in inference mode, in chunks of 500 samples. */
export function evaluate(model: Module, params: Tree, state: Tree, data: Digits, kind: LossKind): Evaluation {
  const n = data.y.shape[0]!;
  const labels = data.y.dataSync();
  let loss = 0;
  let wrong = 0;
  for (let start = 0; start < n; start += 500) {
    const end = Math.min(n, start + 500);
    const logits = tidy(() => {
      const idx = tensor(Int32Array.from({ length: end - start }, (_, i) => start + i), { dtype: 'int32' });
      return model.apply(params, start === 0 && end === n ? data.x : gather(data.x, idx, 0), { train: false, state });
    });
    const z = logits.dataSync();
    logits.dispose();
    for (let i = 0; i < end - start; i++) {
      const y = labels[start + i]!;
      let best = 0;
      let max = -Infinity;
      for (let c = 0; c < CLASSES; c++) if (z[i * CLASSES + c]! > max) [max, best] = [z[i * CLASSES + c]!, c];
      if (best !== y) wrong++;
      if (kind === 'squared') {
        for (let c = 0; c < CLASSES; c++) loss += (z[i * CLASSES + c]! - (c === y ? 1 : 0)) ** 2;
      } else {
        let s = 0;
        for (let c = 0; c < CLASSES; c++) s += Math.exp(z[i * CLASSES + c]! - max);
        loss += max + Math.log(s) - z[i * CLASSES + y]!;
      }
    }
  }
  return { loss: loss / n, error: wrong / n };
}

/** @internal One epoch's numbers; epoch 0 is the initialisation. */
export interface EpochStats {
  epoch: number;
  train: Evaluation;
  test: Evaluation;
  /** On `TrainSpec.probe`, when given. */
  probe?: Evaluation;
}

/** @internal What `trainClassifier` is given. */
export interface TrainSpec {
  model: Module;
  params: Tree;
  state: Tree;
  train: Digits;
  test: Digits;
  loss: LossKind;
  lr: number;
  epochs: number;
  batchSize: number;
  /** Seed of the minibatch order (each epoch folds its number in). */
  seed: number;
  /** Epochs (1-based; 0 = before training) after which train and test are evaluated; default only 0 and the last. */
  evalAt?: (epoch: number) => boolean;
  /** A third set evaluated with train and test (e.g. the relabelled samples with their noisy labels). */
  probe?: Digits;
}

/**
 * @internal Adam (`@ddopt/optimizers`) on minibatches (`batches` of `@ddopt/datasets`) for
 * `epochs`, through `trainStep`; batch-norm running statistics are carried from step to step.
 * Returns the trained params and state and the evaluations at the epochs `evalAt` picks.
 */
export async function trainClassifier(spec: TrainSpec): Promise<{ params: Tree; state: Tree; history: EpochStats[]; steps: number }> {
  const { model, train, test, loss, epochs, batchSize, seed } = spec;
  const evalAt = spec.evalAt ?? ((e: number) => e === 0 || e === epochs);
  const tx = adam({ lr: spec.lr });
  let current = { params: spec.params, state: tx.init(spec.params) };
  let bn: Tree = spec.state;
  const history: EpochStats[] = [];
  const record = (epoch: number) => {
    const stats: EpochStats = { epoch, train: evaluate(model, current.params, bn, train, loss), test: evaluate(model, current.params, bn, test, loss) };
    if (spec.probe) stats.probe = evaluate(model, current.params, bn, spec.probe, loss);
    history.push(stats);
  };
  if (evalAt(0)) record(0);
  let steps = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (const batch of batches(train, { batchSize, shuffle: true, seed, epoch })) {
      let next: Tree = bn;
      const r = trainStep(
        (p: Tree) => {
          const ctx = { train: true, state: bn };
          const logits = model.apply(p, batch.x, ctx);
          // The step's tidy frees what the loss makes; the new running statistics are kept.
          next = treeMap((t: Tensor) => keep(t), ctx.state);
          return lossOf(loss, logits, batch.y);
        },
        tx,
        current,
      );
      current = { params: r.params, state: r.state };
      if (next !== bn) dispose(bn);
      bn = next;
      dispose(batch);
      steps++;
    }
    if (evalAt(epoch)) record(epoch);
    await breathe();
  }
  dispose(current.state);
  return { params: current.params, state: bn, history, steps };
}

// ---------------------------------------------------------------------------------------------
// The jobs.

type Part = 'rff' | 'fc' | 'fc-reuse' | 'cnn';

/** One job: N = `features` random Fourier features, the min-norm fit X†Y, its errors and norm. */
async function rffJob({ seed, point }: JobConfig): Promise<JobOutput> {
  const { n, nTest, features, dataSeed } = point as { n: number; nTest: number; features: number; dataSeed: number };
  // The digits come on whatever backend is current; the fit runs in float64 on cpu.
  const data = await mnist({ train: n, test: nTest, seed: dataSeed, dtype: 'float32' });
  const host = (t: Tensor) => Float64Array.from(t.dataSync());
  const xTrain = host(data.train.x);
  const xTest = host(data.test.x);
  const yTrain = Array.from(data.train.y.dataSync());
  const yTest = Array.from(data.test.y.dataSync());
  dispose(data);
  return withBackend('cpu', () => {
    const train = { x: tensor(xTrain, { shape: [n, 784], dtype: 'float64' }), y: yTrain };
    const test = { x: tensor(xTest, { shape: [nTest, 784], dtype: 'float64' }), y: yTest };
    const layer = RandomFourierFeatures({ frequencies: features / 2, sigma: SIGMA });
    const { state } = layer.init(prng(seed), [784], { dtype: 'float64' });
    const phi = (x: Tensor) => layer.apply({}, x, { state, train: false });
    const hot = (labels: number[]) => {
      const h = new Float64Array(labels.length * 10);
      labels.forEach((c, i) => {
        h[i * 10 + c] = 1;
      });
      return tensor(h, { shape: [labels.length, 10], dtype: 'float64' });
    };
    const phiTrain = phi(train.x);
    const w = matmul(pinv(phiTrain), hot(train.y));
    const sq = (f: Tensor, y: number[]) => {
      const p = f.dataSync();
      const t = hot(y).dataSync();
      let s = 0;
      for (let i = 0; i < p.length; i++) s += (p[i]! - t[i]!) ** 2;
      return s / p.length;
    };
    const predTrain = matmul(phiTrain, w);
    const predTest = matmul(phi(test.x), w);
    const labels = test.y;
    const guesses = Array.from(argmax(predTest, { axis: 1 }).dataSync());
    const wv = Array.from(w.dataSync());
    return {
      trainMse: sq(predTrain, train.y),
      testMse: sq(predTest, test.y),
      testError: guesses.filter((g, i) => g !== labels[i]).length / labels.length,
      weightNorm: Math.sqrt(wv.reduce((s, v) => s + v * v, 0)),
    };
  });
}

interface FcPoint {
  n: number;
  nTest: number;
  side: number;
  epochs: number;
  batch: number;
  lr: number;
  dataSeed: number;
}

/** Belkin et al.'s fresh start: Glorot-uniform weights, zero biases (Keras' defaults). */
const freshFc = (width: number) => mlp([width, CLASSES], 'relu', { init: initializers.xavierUniform(), biasInit: initializers.zeros() });
/** The weights a reused net adds: N(0, 0.01), "small random" (Belkin et al.: mean 0, variance 0.01). */
const smallFc = (width: number) => mlp([width, CLASSES], 'relu', { init: initializers.normal(0.1), biasInit: initializers.zeros() });

async function fcTrain(p: FcPoint, width: number, params: Tree, state: Tree, seed: number, data: { train: Digits; test: Digits }) {
  const r = await trainClassifier({ model: freshFc(width), params, state, train: data.train, test: data.test, loss: 'squared', lr: p.lr, epochs: p.epochs, batchSize: p.batch, seed });
  const first = r.history[0]!;
  const last = r.history[r.history.length - 1]!;
  return { r, out: { width, params: countParams(r.params), initialTrainLoss: first.train.loss, trainLoss: last.train.loss, trainError: last.train.error, testLoss: last.test.loss, testError: last.test.error, steps: r.steps } };
}

/** One fresh two-layer net of width `width` (no reuse). */
async function fcJob({ seed, point }: JobConfig): Promise<JobOutput> {
  const p = point as unknown as FcPoint & { width: number };
  const data = await loadDigits({ n: p.n, nTest: p.nTest, seed: p.dataSeed, side: p.side, layout: 'flat' });
  const init = tidy(() => freshFc(p.width).init(prng(seed), [p.side * p.side]));
  const { r, out } = await fcTrain(p, p.width, init.params, init.state, seed, data);
  // Tensors on a tfjs backend need freeing; on cpu this only marks them.
  dispose([data, r.params]);
  return out;
}

/**
 * Belkin et al.'s weight reuse, one chain: the widths below the threshold in order, each net
 * starting from the previous trained one embedded into a fresh N(0, 0.01) net of the new width
 * (`embedParams`), the first from a fresh start. Inherently sequential, so one job; its outputs are
 * `<name>@<width>`.
 */
async function fcReuseJob({ seed, point }: JobConfig): Promise<JobOutput> {
  const p = point as unknown as FcPoint & { widths: string };
  const widths = p.widths.split(',').map(Number);
  const data = await loadDigits({ n: p.n, nTest: p.nTest, seed: p.dataSeed, side: p.side, layout: 'flat' });
  const out: JobOutput = { widths: p.widths };
  let previous: Tree | undefined;
  for (const [i, width] of widths.entries()) {
    const key = foldIn(prng(seed), i);
    // tidy: an initializer's intermediate tensors (a tfjs backend holds them) are freed, the params kept.
    const start = tidy(() => (previous === undefined ? freshFc(width) : smallFc(width)).init(key, [p.side * p.side]));
    const params = previous === undefined ? start.params : embedParams(previous, start.params);
    if (previous !== undefined) dispose([previous, start.params]);
    const { r, out: o } = await fcTrain(p, width, params, start.state, seed + i, data);
    for (const [k, v] of Object.entries(o)) if (k !== 'width') out[`${k}@${width}`] = v;
    previous = r.params;
  }
  dispose([data, previous]);
  return out;
}

interface CnnPoint {
  n: number;
  nTest: number;
  side: number;
  width: number;
  noise: number;
  epochs: number;
  batch: number;
  lr: number;
  dataSeed: number;
}

/** @internal The noisy training labels of one noise level: the same for every width (keyed by the data seed and p). */
export function noisyLabels(y: Tensor, p: number, dataSeed: number): { labels: Tensor; corrupted: Tensor; measured: number } {
  const { labels, corrupted } = labelNoise(y, { p, numClasses: CLASSES, key: foldIn(prng(dataSeed), Math.round(p * 1000) + 1) });
  // Measured independently of the returned mask: the fraction of labels that changed.
  const a = y.dataSync();
  const b = labels.dataSync();
  let changed = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed++;
  return { labels, corrupted, measured: changed / a.length };
}

/** One CNN of width k at one label-noise level: Adam on cross-entropy against the noisy labels; test error on clean labels. */
async function cnnJob({ seed, point }: JobConfig): Promise<JobOutput> {
  const p = point as unknown as CnnPoint;
  const data = await loadDigits({ n: p.n, nTest: p.nTest, seed: p.dataSeed, side: p.side, layout: 'image' });
  const noisy = noisyLabels(data.train.y, p.noise, p.dataSeed);
  const train = { x: data.train.x, y: noisy.labels };
  const model = cnnK(p.width);
  const init = tidy(() => model.init(prng(seed), [1, p.side, p.side]));
  const r = await trainClassifier({ model, params: init.params, state: init.state, train, test: data.test, loss: 'cross-entropy', lr: p.lr, epochs: p.epochs, batchSize: p.batch, seed });
  const last = r.history[r.history.length - 1]!;
  dispose([data, noisy, r.params, r.state]);
  return { width: p.width, noise: p.noise, params: countParams(r.params), noiseMeasured: noisy.measured, trainLoss: last.train.loss, trainError: last.train.error, testLoss: last.test.loss, testError: last.test.error, steps: r.steps };
}

async function job(config: JobConfig): Promise<JobOutput> {
  const part = config.point.part as Part;
  if (part === 'rff') return rffJob(config);
  if (part === 'fc') return fcJob(config);
  if (part === 'fc-reuse') return fcReuseJob(config);
  if (part === 'cnn') return cnnJob(config);
  throw new RangeError(`deep-double-descent: unknown part ${JSON.stringify(part)} in grid point; expected 'rff', 'fc', 'fc-reuse' or 'cnn'`);
}

/** The widths whose n_p stays at or below the threshold nK: Belkin et al. reuse weights there and start fresh beyond. */
function reuseWidths(s: Sizes['fc']): number[] {
  return s.widths.filter((w) => fcParams(s.side * s.side, w) <= s.n * CLASSES);
}

function grid(config: RunConfig): GridPoint[] {
  const s = sizes(config.mode);
  const dataSeed = config.seed;
  const fcBase = { n: s.fc.n, nTest: s.fc.nTest, side: s.fc.side, epochs: s.fc.epochs, batch: s.fc.batch, lr: s.fc.lr, dataSeed };
  const cnnBase = { n: s.cnn.n, nTest: s.cnn.nTest, side: s.cnn.side, epochs: s.cnn.epochs, batch: s.cnn.batch, lr: s.cnn.lr, dataSeed };
  return [
    ...s.rff.features.map((f) => ({ part: 'rff', features: f, n: s.rff.n, nTest: s.rff.nTest, dataSeed })),
    // The reuse chain first: it is the longest single job, so a pool starts it early.
    { part: 'fc-reuse', widths: reuseWidths(s.fc).join(','), ...fcBase },
    ...s.fc.widths.map((width) => ({ part: 'fc', width, ...fcBase })),
    ...s.cnn.noises.flatMap((noise) => [...s.cnn.widths].reverse().map((width) => ({ part: 'cnn', width, noise, ...cnnBase }))),
  ];
}

// ---------------------------------------------------------------------------------------------
// The summary.

interface RffRow {
  N: number;
  trainMse: number;
  testMse: number;
  testError: number;
  weightNorm: number;
}

interface FcRow {
  width: number;
  params: number;
  initialTrainLoss: number;
  trainLoss: number;
  trainError: number;
  testLoss: number;
  testError: number;
}

interface CnnRow {
  width: number;
  noise: number;
  params: number;
  noiseMeasured: number;
  trainError: number;
  testError: number;
  testLoss: number;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const argmaxBy = <T>(rows: T[], f: (r: T) => number): T => rows.reduce((a, b) => (f(b) > f(a) ? b : a));

function summarize(jobs: JobRecord[], config: RunConfig): ExperimentResult {
  const s = sizes(config.mode);
  const byPart = (part: Part) => jobs.filter((j) => j.point.part === part);

  // Random Fourier features.
  const { n, nTest } = s.rff;
  const rows: RffRow[] = byPart('rff').map((j) => ({ N: j.point.features as number, ...(j.output as unknown as Omit<RffRow, 'N'>) }));
  const peak = argmaxBy(rows, (r) => r.testMse);
  const threshold = rows.find((r) => r.trainMse < INTERPOLATION_MSE);
  const atThreshold = threshold !== undefined && peak.N === threshold.N;
  const last = rows[rows.length - 1]!;
  const rffFigure = (id: string, title: string, key: 'testMse' | 'testError' | 'weightNorm', label: string): FigureSpec => ({
    id,
    title,
    caption: `random Fourier features: min-norm least squares on N features (σ = ${SIGMA}) of n = ${n} MNIST digits; the dashed line is N = n (report, Belkin et al. fig. 2: n = 10⁴, peak at N = n)`,
    x: { label: 'number of random features N', type: 'log' },
    y: { label, type: 'log' },
    series: [{ name: label, mark: 'line+dot', points: rows.map((r) => ({ x: r.N, y: Math.max(r[key], 1e-6) })) }],
    rulesX: [{ value: n, label: 'N = n' }],
  });

  // Two-layer fully connected net.
  const d = s.fc.side * s.fc.side;
  const nK = s.fc.n * CLASSES;
  const fresh: FcRow[] = byPart('fc').map((j) => j.output as unknown as FcRow);
  const chain = byPart('fc-reuse')[0]?.output;
  const chainWidths = chain ? String(chain.widths).split(',').map(Number) : [];
  const reused: FcRow[] = chainWidths.map((width) => {
    const get = (k: string) => chain![`${k}@${width}`] as number;
    return { width, params: get('params'), initialTrainLoss: get('initialTrainLoss'), trainLoss: get('trainLoss'), trainError: get('trainError'), testLoss: get('testLoss'), testError: get('testError') };
  });
  // With reuse below the threshold and fresh starts beyond it, as in Belkin et al.'s figure 4.
  const withReuse = [...reused, ...fresh.filter((r) => !chainWidths.includes(r.width))].sort((a, b) => a.params - b.params);
  const fcPeakFresh = argmaxBy(fresh, (r) => r.testLoss);
  const fcPeakReuse = argmaxBy(withReuse, (r) => r.testLoss);
  const widest = fresh.reduce((a, b) => (b.width > a.width ? b : a));
  const nearThreshold = (r: FcRow) => r.params >= nK / 2 && r.params <= 2 * nK;
  const firstInterpolating = fresh.find((r) => r.trainError === 0);
  const fcSeries = (key: 'testLoss' | 'testError' | 'trainLoss') => [
    { name: 'with weight reuse below nK', mark: 'line+dot' as const, points: withReuse.map((r) => ({ x: r.params, y: Math.max(r[key], 1e-6) })) },
    { name: 'no weight reuse', mark: 'line+dot' as const, dashed: true, points: fresh.map((r) => ({ x: r.params, y: Math.max(r[key], 1e-6) })) },
  ];
  const fcCaption = `two-layer ReLU net ${d}-H-10 on n = ${s.fc.n} MNIST digits (${s.fc.side}×${s.fc.side}), squared loss, Adam lr ${s.fc.lr}, ${s.fc.epochs} epochs of batch ${s.fc.batch}; the dashed rule is n_p = nK = ${nK} (report, Belkin et al. figs. 4–5: n = 4·10³, 784 pixels, SGD for thousands of epochs, peak at n_p = 4·10⁴)`;
  const fcFigure = (id: string, title: string, key: 'testLoss' | 'testError' | 'trainLoss', label: string): FigureSpec => ({
    id,
    title,
    caption: fcCaption,
    x: { label: 'number of parameters n_p', type: 'log' },
    y: { label, type: key === 'testError' ? 'linear' : 'log' },
    series: fcSeries(key),
    rulesX: [{ value: nK, label: 'n_p = nK' }],
  });

  // CNNs with label noise.
  const cnn: CnnRow[] = byPart('cnn').map((j) => j.output as unknown as CnnRow);
  const noiseName = (p: number) => `${Math.round(100 * p)}`;
  const perNoise = s.cnn.noises.map((p) => {
    const rowsP = cnn.filter((r) => r.noise === p).sort((a, b) => a.width - b.width);
    const top = argmaxBy(rowsP, (r) => r.testError);
    const interior = top !== rowsP[0] && top !== rowsP[rowsP.length - 1];
    return { p, rows: rowsP, peakWidth: top.width, peakError: top.testError, interior, measured: rowsP.reduce((a, r) => a + r.noiseMeasured, 0) / rowsP.length };
  });
  const cnnFigure = (id: string, title: string, key: 'testError' | 'trainError', label: string): FigureSpec => ({
    id,
    title,
    caption: `5-layer CNN (cnnK: widths k, 2k, 4k, 8k, batch norm) on n = ${s.cnn.n} MNIST digits (${s.cnn.side}×${s.cnn.side}), Adam lr ${s.cnn.lr}, ${s.cnn.epochs} epochs of batch ${s.cnn.batch}, cross-entropy against labels with p noise; test error on clean labels (report, Nakkiran et al. fig. 7: CIFAR-10, 50k images, Adam 10⁻⁴ for 4000 epochs, peak near k = 10)`,
    x: { label: 'CNN width k', type: 'log' },
    y: { label, type: 'linear' },
    series: perNoise.map((q) => ({ name: `${noiseName(q.p)}% label noise`, mark: 'line+dot' as const, points: q.rows.map((r) => ({ x: r.width, y: r[key] })) })),
  });

  const fcOk = nearThreshold(fcPeakReuse);
  const noisiest = perNoise[perNoise.length - 1]!;
  const cnnOk = noisiest.interior;
  const scale = `at a scale of n = ${n} (RFF), ${s.fc.n} (FC, ${s.fc.side}×${s.fc.side}), ${s.cnn.n} (CNN, ${s.cnn.epochs} epochs) MNIST digits vs the report's 10⁴, 4·10³ and CIFAR-10 for 4000 epochs`;
  const verdictParts = [
    atThreshold ? `the RFF test loss peaks at N = ${peak.N}, the first N that interpolates (n = ${n})` : `the RFF test-loss peak is at N = ${peak.N}, the fit first interpolates at ${threshold ? `N = ${threshold.N}` : 'no N run'} (n = ${n})`,
    `the FC net's test loss (with reuse below nK) peaks at n_p = ${fcPeakReuse.params} ${fcOk ? 'within a factor 2 of' : 'not within a factor 2 of'} nK = ${nK} (no reuse: n_p = ${fcPeakFresh.params})`,
    `the CNN's test error at ${noiseName(noisiest.p)}% noise peaks at k = ${noisiest.peakWidth}${cnnOk ? ', inside the widths run' : `, an end of the widths run (${s.cnn.widths.join(', ')}): no interior peak`}`,
  ];
  const allOk = atThreshold && fcOk && cnnOk;

  const headline: Record<string, number | boolean> = {
    rffPeakAtInterpolationThreshold: atThreshold,
    peakFeatures: peak.N,
    interpolationThreshold: threshold?.N ?? -1,
    n,
    peakTestMse: peak.testMse,
    lastTestError: last.testError,
    lastFeatures: last.N,
    fcThresholdParams: nK,
    fcPeakParamsReuse: fcPeakReuse.params,
    fcPeakParamsFresh: fcPeakFresh.params,
    fcPeakNearThreshold: fcOk,
    fcFirstInterpolatingParams: firstInterpolating?.params ?? -1,
    fcWidestWidth: widest.width,
    fcWidestTrainError: widest.trainError,
    fcWidestTestError: widest.testError,
    cnnInteriorPeakAtHighestNoise: cnnOk,
  };
  for (const q of perNoise) {
    headline[`cnnPeakWidthNoise${noiseName(q.p)}`] = q.peakWidth;
    headline[`cnnPeakTestErrorNoise${noiseName(q.p)}`] = q.peakError;
    headline[`cnnMeasuredNoise${noiseName(q.p)}`] = q.measured;
  }

  return {
    setup: {
      'RFF: training digits n': n,
      'RFF: test digits': nTest,
      'RFF: kernel bandwidth σ': SIGMA,
      'RFF: feature counts': rows.map((r) => r.N).join(', '),
      'FC: training / test digits': `${s.fc.n} / ${s.fc.nTest} at ${s.fc.side}×${s.fc.side}`,
      'FC: widths H': s.fc.widths.join(', '),
      'FC: reuse chain widths': chainWidths.join(', '),
      'FC: training': `Adam lr ${s.fc.lr}, batch ${s.fc.batch}, ${s.fc.epochs} epochs, squared loss`,
      'CNN: training / test digits': `${s.cnn.n} / ${s.cnn.nTest} at ${s.cnn.side}×${s.cnn.side}`,
      'CNN: widths k': s.cnn.widths.join(', '),
      'CNN: label noise p': s.cnn.noises.join(', '),
      'CNN: training': `Adam lr ${s.cnn.lr}, batch ${s.cnn.batch}, ${s.cnn.epochs} epochs, cross-entropy`,
      'data split seed': config.seed,
    },
    backendUsed: `RFF: cpu float64; nets: ${config.backend} float32`,
    figures: [
      rffFigure('ddd-rff-test-mse', 'RFF: test squared loss vs features', 'testMse', 'test squared loss'),
      rffFigure('ddd-rff-test-error', 'RFF: test zero-one error vs features', 'testError', 'test zero-one error'),
      rffFigure('ddd-rff-norm', 'RFF: norm of the min-norm solution vs features', 'weightNorm', '‖W‖_F'),
      fcFigure('ddd-fc-test-loss', 'Two-layer net: test squared loss vs parameters', 'testLoss', 'test squared loss'),
      fcFigure('ddd-fc-test-error', 'Two-layer net: test zero-one error vs parameters', 'testError', 'test zero-one error'),
      fcFigure('ddd-fc-train-loss', 'Two-layer net: train squared loss vs parameters', 'trainLoss', 'train squared loss'),
      cnnFigure('ddd-cnn-test-error', 'CNN: test error vs width k, per label noise', 'testError', 'test error (clean labels)'),
      cnnFigure('ddd-cnn-train-error', 'CNN: train error vs width k, per label noise', 'trainError', 'train error (noisy labels)'),
    ],
    comparison: {
      headers: ['quantity', 'report', 'this run'],
      rows: [
        ['RFF: peak of the test loss', 'at N = n (n = 10⁴)', `N = ${peak.N} (n = ${n})`],
        ['RFF: smallest N that interpolates', 'N = n', threshold ? `N = ${threshold.N}` : 'none'],
        ['RFF: test zero-one error, largest N', '≈ 5% at N = 6·10⁴', `${pct(last.testError)} at N = ${last.N}`],
        ['RFF: ‖W‖ peaks at N = n', 'yes', argmaxBy(rows, (r) => r.weightNorm).N === n ? 'yes' : 'no'],
        ['FC: interpolation threshold nK', '4·10⁴ (n = 4·10³)', `${nK} (n = ${s.fc.n})`],
        ['FC: test-loss peak, with weight reuse', 'at n_p ≈ nK', `n_p = ${fcPeakReuse.params} (H = ${fcPeakReuse.width}), test loss ${fcPeakReuse.testLoss.toFixed(3)}`],
        ['FC: test-loss peak, no weight reuse', 'near nK, more blurred', `n_p = ${fcPeakFresh.params} (H = ${fcPeakFresh.width}), test loss ${fcPeakFresh.testLoss.toFixed(3)}`],
        ['FC: smallest net with zero train error (no reuse)', 'n_p ≈ nK', firstInterpolating ? `n_p = ${firstInterpolating.params} (H = ${firstInterpolating.width})` : 'none'],
        ['FC: widest net, train / test error', 'train 0, test lowest', `H = ${widest.width}: ${pct(widest.trainError)} / ${pct(widest.testError)}`],
        ...perNoise.map((q): (string | number)[] => [`CNN, ${noiseName(q.p)}% noise: test-error peak width`, q.p === 0 ? 'weaker without noise (CIFAR-10)' : 'k ≈ 10 (CIFAR-10)', `k = ${q.peakWidth} (${pct(q.peakError)}${q.interior ? '' : ', an end of the range'}); measured noise ${pct(q.measured)}`]),
      ],
    },
    verdict: { status: allOk ? 'matches' : 'differs', text: `${verdictParts.join('; ')}; ${scale}` },
    headline,
    notes: [
      `Scale: RFF n = ${n} training digits and N up to ${last.N} features, against the report's n = 10⁴ and N up to 6·10⁴ (a pinv of 10⁴ × 6·10⁴ is beyond a JavaScript SVD on 2 cores).`,
      `FC: n = ${s.fc.n} digits at ${s.fc.side}×${s.fc.side} (d = ${d}) against Belkin et al.'s 4·10³ at 784; Adam with ${s.fc.epochs} epochs of batch ${s.fc.batch} against their SGD for thousands of epochs; fresh nets start Glorot-uniform with zero biases (Keras' defaults), reused nets add N(0, 0.01) weights and zero biases. Below nK, a net that does not reach zero train error within the budget blurs the peak; the train-loss figure shows how far each got.`,
      `The reuse chain (${chainWidths.join(', ')}) is one job, since each net starts from the previous one; the other widths and every CNN are independent jobs.`,
      `CNN: MNIST digits (${s.cnn.n}, ${s.cnn.side}×${s.cnn.side}) stand in for the report's CIFAR-10 (the reader exists, the data is the user's); ${s.cnn.epochs} epochs against 4000${config.mode === 'quick' ? ', far too few to fit the noisy labels, so the quick run shows the under-parameterised side only' : ''}. Each noise level's labels are drawn once (from the data seed) and shared by all widths; test error is on clean labels.`,
      '--full estimate (CPU time on one worker of a 2-core machine, from one timed epoch of each full job on a subset of its digits): the two-layer nets ≈ 3.5 h, the CNNs ≈ 43 h (its longest job, k = 16, ≈ 3.8 h); the random-features part is not timed. See the README of @ddopt/experiments.',
    ],
  };
}

export const deepDoubleDescent: Experiment = {
  id: 'deep-double-descent',
  seed: '003 (double-descent report)',
  title: 'Deep double descent, model-wise: random Fourier features, two-layer nets with weight reuse, CNNs with label noise',
  reference: 'double-descent report, "Deep double descent" (Belkin et al. 2019, figs. 2, 4, 5: RFF and FC nets on MNIST; Nakkiran et al. 2019, fig. 7: CNNs with label noise)',
  run: (config, progress) => runSweepInline(deepDoubleDescent, config, progress),
  estimateFull: () => 'about 47 CPU-hours of jobs (two-layer nets ≈ 3.5 h, CNNs ≈ 43 h, the longest job ≈ 3.8 h; random features not timed), from one timed epoch of each job; --workers N divides the wall time',
  sweep: { grid, job, summarize },
};
