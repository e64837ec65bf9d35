// Shared parts of the lecture's loss-surface experiments (loss-landscape, mode-connectivity): an MLP
// trained on MNIST digits with @ddopt/optimizers' trainStep, Li et al.'s filter-normalised random
// directions, straight-line and two-direction evaluation of a loss around trained weights, and level
// sets of a sampled surface for the contour figures.
import { batches, type Dataset, mnist } from '@ddopt/datasets';
import { mlp, softmaxCrossEntropy } from '@ddopt/layers';
import { type GradientTransformation, sgd, trainStep } from '@ddopt/optimizers';
import { add, argmax, cast, div, equal, type Key, mean, mul, randn, splitKey, sqrt, square, sum, type Tensor, tidy, treeLeaves, treeMap, zerosLike } from '@ddopt/tensor';
import { breathe } from '../contract.js';

/** The module `mlp` builds. */
export type MlpModule = ReturnType<typeof mlp>;
/** MLP parameters as `mlp` builds them. */
export type MlpParams = Parameters<MlpModule['apply']>[0];

/** Train/test MNIST digits, flat [n, 784] float32. */
export interface Digits {
  train: Dataset;
  test: Dataset;
}

/** `n` training and `nTest` test digits, split by `key`. */
export function digits(n: number, nTest: number, key: Key): Promise<Digits> {
  return mnist({ train: n, test: nTest, key, dtype: 'float32' });
}

/** Mean cross-entropy of `model` with `params` on `data`. */
export function lossOn(model: MlpModule, params: MlpParams, data: Dataset): number {
  return tidy(() => softmaxCrossEntropy(model.apply(params, data.x), data.y).item());
}

/** Zero-one error of `model` with `params` on `data`. */
export function errorOn(model: MlpModule, params: MlpParams, data: Dataset): number {
  return tidy(() => 1 - mean(cast(equal(argmax(model.apply(params, data.x), { axis: 1 }), data.y), 'float32')).item());
}

/** How one MLP is trained: SGD with momentum over shuffled minibatches for a number of epochs. */
export interface TrainSpec {
  batchSize: number;
  epochs: number;
  lr: number;
  momentum: number;
  /** Seeds the initial weights. */
  initKey: Key;
  /** Seeds the minibatch order. */
  orderKey: Key;
  /** Called after each epoch with the current params (the PCA of the trajectory keeps them). */
  onEpoch?: (epoch: number, params: MlpParams) => void;
}

/** Trains `model` on `data.train` with sgd({ lr, momentum }) by trainStep; returns the final params and the step count. */
export async function trainMlp(model: MlpModule, train: Dataset, spec: TrainSpec): Promise<{ params: MlpParams; steps: number }> {
  const init = model.init(spec.initKey, [train.x.shape[1]!], { dtype: 'float32' }).params;
  const tx: GradientTransformation = sgd({ lr: spec.lr, momentum: spec.momentum });
  let current = { params: init, state: tx.init(init) };
  let steps = 0;
  spec.onEpoch?.(0, current.params);
  for (let e = 0; e < spec.epochs; e++) {
    for (const b of batches(train, { batchSize: spec.batchSize, shuffle: true, key: spec.orderKey, epoch: e })) {
      current = trainStep((p: MlpParams) => softmaxCrossEntropy(model.apply(p, b.x), b.y), tx, current);
      steps++;
      if (steps % 50 === 0) await breathe();
    }
    spec.onEpoch?.(e + 1, current.params);
  }
  return { params: current.params, steps };
}

/** The 784 → hidden → 10 ReLU MLP both experiments train. */
export function digitNet(hidden: number[]): MlpModule {
  return mlp([...hidden, 10], 'relu');
}

/**
 * A random Gaussian direction with Li et al.'s filter normalisation (their `filter` / `biasbn`
 * options): for each weight of rank ≥ 2, every filter (row of a dense `[out, in]` weight, output
 * filter of a conv kernel) is rescaled to the norm of the same filter of `params`; rank-0/1 leaves
 * (biases, batch-norm parameters) get zero.
 */
export function filterNormalizedDirection<P>(key: Key, params: P): P {
  const leaves = treeLeaves(params);
  const keys = splitKey(key, Math.max(leaves.length, 1));
  let i = 0;
  return treeMap((w: Tensor) => {
    const k = keys[i++]!;
    if (w.rank < 2) return zerosLike(w);
    const d = randn(k, w.shape, { dtype: w.dtype as 'float32' | 'float64' });
    const axes = w.shape.slice(1).map((_, j) => j + 1);
    const norm = (t: Tensor) => sqrt(sum(square(t), { axis: axes, keepdims: true }));
    return mul(d, div(norm(w), norm(d)));
  }, params);
}

/** θ + Σᵢ cᵢ·dᵢ, leaf by leaf. */
export function offset<P>(params: P, directions: P[], coefficients: number[]): P {
  return treeMap((w: Tensor, ...ds: Tensor[]) => ds.reduce((acc, d, i) => (coefficients[i] === 0 ? acc : add(acc, mul(d, coefficients[i]!))), w), params, ...directions);
}

/** Per-filter norms of a rank-≥2 weight (the rows of `[out, ...]`), as host numbers. */
export function filterNorms(w: Tensor): number[] {
  const axes = w.shape.slice(1).map((_, j) => j + 1);
  return Array.from(sqrt(sum(square(w), { axis: axes })).dataSync());
}

/** Evenly spaced values from `lo` to `hi`, `count` of them (both ends included). */
export function linspace(lo: number, hi: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => (count === 1 ? lo : lo + ((hi - lo) * i) / (count - 1)));
}

/**
 * Level sets of a surface sampled on a grid (`z[i][j]` at x = xs[j], y = ys[i]) by marching
 * squares: for each level, the points where it crosses the grid's edges (linear interpolation).
 * Drawn as dots, they trace the contour lines.
 */
export function contourPoints(xs: number[], ys: number[], z: number[][], level: number): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  const cross = (a: number, b: number) => (a - level) * (b - level) < 0 || (a === level && b !== level);
  for (let i = 0; i < ys.length; i++) {
    for (let j = 0; j < xs.length; j++) {
      const v = z[i]![j]!;
      if (j + 1 < xs.length) {
        const w = z[i]![j + 1]!;
        if (cross(v, w)) out.push({ x: xs[j]! + ((level - v) / (w - v)) * (xs[j + 1]! - xs[j]!), y: ys[i]! });
      }
      if (i + 1 < ys.length) {
        const w = z[i + 1]![j]!;
        if (cross(v, w)) out.push({ x: xs[j]!, y: ys[i]! + ((level - v) / (w - v)) * (ys[i + 1]! - ys[i]!) });
      }
    }
  }
  return out;
}
