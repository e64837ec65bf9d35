// Epoch-wise double descent (double-descent report, seed 003, "Deep double descent" §3.3; Nakkiran
// et al. 2019, figure 9): test error over training epochs for models of growing size trained on
// labels with 20% noise. The report: a large model's test error rises to a peak (≈ 100 epochs for
// ResNet18, k = 64, on CIFAR-10) and falls again, best at 2000 epochs; smaller models follow the
// classical U and end worse than their early best. Here: two-layer ReLU nets on MNIST digits
// (`mlp` of @ddopt/layers), Adam on cross-entropy, one sweep job per width.

import { initializers, mlp } from '@ddopt/layers';
import { dispose, gather, prng, type Tensor, tensor, tidy } from '@ddopt/tensor';
import type { Experiment, ExperimentResult, FigureSpec, GridPoint, JobConfig, JobOutput, JobRecord, RunConfig } from '../contract.js';
import { runSweepInline } from '../sweep.js';
import { type Digits, type EpochStats, fcParams, loadDigits, noisyLabels, trainClassifier } from './deep-double-descent.js';

const CLASSES = 10;
const NOISE = 0.2;

interface Sizes {
  n: number;
  nTest: number;
  side: number;
  widths: number[];
  epochs: number;
  batch: number;
  lr: number;
}

function sizes(mode: RunConfig['mode']): Sizes {
  if (mode === 'full') return { n: 4000, nTest: 2000, side: 28, widths: [16, 128, 1024], epochs: 1000, batch: 128, lr: 1e-3 };
  return { n: 600, nTest: 1000, side: 14, widths: [8, 64, 512], epochs: 40, batch: 100, lr: 1e-3 };
}

/** The epochs at which a run of `epochs` is evaluated: every one of the first 50, then about 100 more spread evenly. */
export function evalEpochs(epochs: number): number[] {
  const step = Math.max(1, Math.ceil(epochs / 100));
  const out: number[] = [];
  for (let e = 0; e <= epochs; e++) if (e <= 50 || e % step === 0 || e === epochs) out.push(e);
  return out;
}

async function job({ seed, point }: JobConfig): Promise<JobOutput> {
  const p = point as { n: number; nTest: number; side: number; width: number; noise: number; epochs: number; batch: number; lr: number; dataSeed: number };
  const data = await loadDigits({ n: p.n, nTest: p.nTest, seed: p.dataSeed, side: p.side, layout: 'flat' });
  const noisy = noisyLabels(data.train.y, p.noise, p.dataSeed);
  const train: Digits = { x: data.train.x, y: noisy.labels };
  // The relabelled samples with their noisy labels: the fraction fitted is how much noise is memorised.
  const probe = selectRows(train, noisy.corrupted);
  const model = mlp([p.width, CLASSES], 'relu', { init: initializers.xavierUniform(), biasInit: initializers.zeros() });
  const init = tidy(() => model.init(prng(seed), [p.side * p.side]));
  const at = new Set(evalEpochs(p.epochs));
  const r = await trainClassifier({ model, params: init.params, state: init.state, train, test: data.test, probe, loss: 'cross-entropy', lr: p.lr, epochs: p.epochs, batchSize: p.batch, seed, evalAt: (e) => at.has(e) });
  dispose([data, noisy, probe, r.params]);
  const out: JobOutput = { width: p.width, params: fcParams(p.side * p.side, p.width), noiseMeasured: noisy.measured, relabelled: probe ? probe.y.shape[0]! : 0, epochs: [...at].join(',') };
  for (const s of r.history as EpochStats[]) {
    out[`testError@${s.epoch}`] = s.test.error;
    out[`testLoss@${s.epoch}`] = s.test.loss;
    out[`trainError@${s.epoch}`] = s.train.error;
    out[`memorized@${s.epoch}`] = s.probe ? 1 - s.probe.error : 0;
  }
  return out;
}

/** The rows of `data` where `mask` (bool [n]) is set, or undefined when none is. */
function selectRows(data: Digits, mask: Tensor): Digits | undefined {
  const m = mask.dataSync();
  const idx: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) idx.push(i);
  if (idx.length === 0) return undefined;
  const at = tensor(Int32Array.from(idx), { dtype: 'int32' });
  const rows = { x: gather(data.x, at, 0), y: gather(data.y, at, 0) };
  at.dispose();
  return rows;
}

function grid(config: RunConfig): GridPoint[] {
  const s = sizes(config.mode);
  // The largest (slowest) first, so a pool starts it early.
  return [...s.widths].reverse().map((width) => ({ width, noise: NOISE, n: s.n, nTest: s.nTest, side: s.side, epochs: s.epochs, batch: s.batch, lr: s.lr, dataSeed: config.seed }));
}

interface Curve {
  width: number;
  params: number;
  noiseMeasured: number;
  epochs: number[];
  testError: number[];
  trainError: number[];
  memorized: number[];
}

/**
 * The shape of one test-error curve: the peak is the evaluated epoch whose error rises most above
 * the best seen before it; the first minimum is that best; a rise or a second descent counts when it
 * exceeds two standard errors of a test error measured on `nTest` samples.
 */
export function curveShape(epochs: number[], err: number[], nTest: number) {
  // `best` is the index of the lowest error before i.
  let best = 0;
  let peak = 0;
  let bestAtPeak = 0;
  let rise = 0;
  for (let i = 1; i < err.length; i++) {
    if (err[i]! - err[best]! > rise) {
      rise = err[i]! - err[best]!;
      peak = i;
      bestAtPeak = best;
    }
    if (err[i]! < err[best]!) best = i;
  }
  if (rise === 0) bestAtPeak = peak = err.indexOf(Math.min(...err));
  const se = (e: number) => Math.sqrt(Math.max(e * (1 - e), 1e-12) / nTest);
  const last = err.length - 1;
  const afterPeak = err.slice(peak).reduce((m, v) => Math.min(m, v), Infinity);
  const margin = 2 * se(err[peak]!);
  return {
    firstMinEpoch: epochs[bestAtPeak]!,
    firstMinError: err[bestAtPeak]!,
    peakEpoch: epochs[peak]!,
    peakError: err[peak]!,
    finalError: err[last]!,
    minAfterPeak: afterPeak,
    riseSignificant: rise > margin,
    secondDescent: rise > margin && peak < last && err[peak]! - afterPeak > margin && err[peak]! - err[last]! > margin,
  };
}

function summarize(jobs: JobRecord[], config: RunConfig): ExperimentResult {
  const s = sizes(config.mode);
  const curves: Curve[] = jobs
    .map((j) => {
      const o = j.output;
      const epochs = String(o.epochs).split(',').map(Number);
      const get = (k: string) => epochs.map((e) => o[`${k}@${e}`] as number);
      return { width: o.width as number, params: o.params as number, noiseMeasured: o.noiseMeasured as number, epochs, testError: get('testError'), trainError: get('trainError'), memorized: get('memorized') };
    })
    .sort((a, b) => a.width - b.width);
  const shapes = curves.map((c) => ({ c, ...curveShape(c.epochs.slice(1), c.testError.slice(1), s.nTest) }));
  const large = shapes[shapes.length - 1]!;
  const nK = s.n * CLASSES;
  const curveFigure = (id: string, title: string, key: 'testError' | 'trainError' | 'memorized', label: string): FigureSpec => ({
    id,
    title,
    caption: `two-layer ReLU nets ${s.side * s.side}-H-10 on n = ${s.n} MNIST digits (${s.side}×${s.side}) with ${100 * NOISE}% label noise, Adam lr ${s.lr}, batch ${s.batch}, cross-entropy; nK = ${nK} (report, Nakkiran et al. fig. 9: ResNet18 on CIFAR-10, 20% noise, Adam 10⁻⁴ for 4000 epochs: the k = 64 test error peaks near 100 epochs and is lowest at 2000)`,
    x: { label: 'epoch', type: 'log' },
    y: { label, type: 'linear' },
    series: curves.map((c, i) => ({ name: `H = ${c.width} (n_p = ${c.params})`, mark: 'line' as const, dashed: i < curves.length - 1, points: c.epochs.slice(1).map((e, j) => ({ x: e, y: c[key][j + 1]! })) })),
    rulesX: [{ value: large.peakEpoch, label: `H = ${large.c.width} peak` }],
  });
  const ok = large.secondDescent;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const lastMem = (c: Curve) => c.memorized[c.memorized.length - 1]!;
  const scale = `n = ${s.n} MNIST digits (${s.side}×${s.side}), ${s.epochs} epochs, widths ${s.widths.join(', ')}, vs the report's ResNet18/CNN on CIFAR-10 for 4000 epochs`;
  return {
    setup: {
      'training / test digits': `${s.n} / ${s.nTest} at ${s.side}×${s.side}`,
      'label noise p': NOISE,
      'widths H': s.widths.join(', '),
      'parameters n_p': curves.map((c) => c.params).join(', '),
      'nK (n × classes)': nK,
      training: `Adam lr ${s.lr}, batch ${s.batch}, ${s.epochs} epochs, cross-entropy against the noisy labels`,
      'data split and noise seed': config.seed,
    },
    backendUsed: `${config.backend} float32`,
    figures: [
      curveFigure('edd-test-error', 'Test error (clean labels) over epochs', 'testError', 'test error'),
      curveFigure('edd-train-error', 'Train error (noisy labels) over epochs', 'trainError', 'train error'),
      curveFigure('edd-memorized', 'Relabelled training samples fitted to their noisy label', 'memorized', 'fraction memorised'),
    ],
    comparison: {
      headers: ['quantity', 'report (ResNet18 k = 64, CIFAR-10, 20% noise)', `this run (H = ${large.c.width}, n_p = ${large.c.params})`],
      rows: [
        ['epoch of the first minimum', 'early, before the peak', `${large.firstMinEpoch} (${pct(large.firstMinError)})`],
        ['epoch of the test-error peak', '≈ 100', `${large.peakEpoch} (${pct(large.peakError)})`],
        ['second descent after the peak', 'yes, lowest at 2000 epochs', large.secondDescent ? `yes: ${pct(large.minAfterPeak)} after the peak, ${pct(large.finalError)} at the end` : `no (lowest after the peak ${pct(large.minAfterPeak)}, final ${pct(large.finalError)})`],
        ['noisy labels memorised at the end', 'all (train error → 0)', pct(lastMem(large.c))],
        ...shapes.slice(0, -1).map((q): (string | number)[] => [`smaller model H = ${q.c.width}: best epoch / final`, 'classical U: best early, worse at the end', `${q.firstMinEpoch} (${pct(q.firstMinError)}) / ${pct(q.finalError)}`]),
      ],
    },
    verdict: ok
      ? { status: 'matches', text: `the largest net's test error falls to ${pct(large.firstMinError)} at epoch ${large.firstMinEpoch}, rises to ${pct(large.peakError)} at epoch ${large.peakEpoch} and descends again to ${pct(large.minAfterPeak)}; at ${scale}` }
      : { status: 'differs', text: `the largest net's test error falls to ${pct(large.firstMinError)} at epoch ${large.firstMinEpoch}, ${large.riseSignificant ? `rises to ${pct(large.peakError)} at epoch ${large.peakEpoch}` : 'does not rise significantly'}, and shows no significant second descent within ${s.epochs} epochs (final ${pct(large.finalError)}); at ${scale}` },
    headline: {
      peakEpoch: large.peakEpoch,
      firstMinEpoch: large.firstMinEpoch,
      peakTestError: large.peakError,
      firstMinTestError: large.firstMinError,
      finalTestError: large.finalError,
      riseSignificant: large.riseSignificant,
      secondDescent: large.secondDescent,
      largeWidth: large.c.width,
      largeParams: large.c.params,
      largeInitialTestError: large.c.testError[0]!,
      largeFinalTrainError: large.c.trainError[large.c.trainError.length - 1]!,
      largeFinalMemorized: lastMem(large.c),
      noiseRequested: NOISE,
      noiseMeasured: large.c.noiseMeasured,
      n: s.n,
      nTest: s.nTest,
    },
    notes: [
      `Scale: ${scale}. Two-layer nets stand in for the report's ResNet18 and 5-layer CNN (the CNN of deep-double-descent costs ≈ 50× more per sample here); a "second descent" is counted only when the test error falls more than two standard errors (√(e(1−e)/${s.nTest})) below its peak.`,
      'Peak: the evaluated epoch whose test error rises most above the best seen before it; first minimum: that best. Test error is on clean labels; train error is against the noisy labels that were fitted.',
      `The noisy labels are drawn once from the data seed (labelNoise of @ddopt/datasets, p = ${NOISE}: a wrong class uniformly) and shared by every width; each width's initialisation and batch order come from its job seed.`,
      '--full estimate (CPU time on one worker of a 2-core machine, from one timed epoch of each full job on 1024 digits): ≈ 1.2 h, most of it the H = 1024 net. See the README of @ddopt/experiments.',
    ],
  };
}

export const epochWiseDoubleDescent: Experiment = {
  id: 'epoch-wise-double-descent',
  seed: '003 (double-descent report)',
  title: 'Epoch-wise double descent: test error over epochs with 20% label noise',
  reference: 'double-descent report, "Deep double descent" §3.3 (Nakkiran et al. 2019, fig. 9)',
  run: (config, progress) => runSweepInline(epochWiseDoubleDescent, config, progress),
  estimateFull: () => 'about 1.2 CPU-hours of jobs, most of it the H = 1024 net (from one timed epoch of each job); --workers N divides the wall time',
  sweep: { grid, job, summarize },
};
