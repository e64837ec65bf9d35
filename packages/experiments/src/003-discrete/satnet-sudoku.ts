// Discrete-optimizers report (seed 003, §2.3, Figure 2; Wang, Donti, Wilder & Kolter 2019): SATNet
// learns sudoku from bits alone — original boards, the same boards with a fixed permutation of
// the bits (no locality left), and boards whose givens are MNIST images — against a ConvNet and a
// ConvNet that also sees the mask of given bits. Whole-board accuracy: a board counts only if
// every cell's most likely digit is right.
import { mnist, permuteSudokuBits, sudoku, sudokuPermutation, sudokuToBits, visualSudoku } from '@ddopt/datasets';
import { binaryCrossEntropy, Conv2d, Dense, Flatten, MaxPool2d, type Module, Sequential } from '@ddopt/layers';
import { adam, trainStep } from '@ddopt/optimizers';
import {
  cast,
  concat,
  dispose,
  foldIn,
  type Key,
  prng,
  reshape,
  slice,
  splitKey,
  type Tensor,
  transpose,
} from '@ddopt/tensor';
import { breathe, type Experiment, type ExperimentResult, type FigureSpec, type Progress, type RunConfig, type Series } from '../contract.js';
import { type SudokuBatch, satnetSudokuTrainer, sudokuDigitProbabilities, sudokuDigits, sudokuInputMask } from './satnet-sudoku-trainer.js';

type Variant = 'original' | 'permuted' | 'visual';
type ModelName = 'SATNet' | 'ConvNet' | 'ConvNetMask';
const VARIANTS: Variant[] = ['original', 'permuted', 'visual'];
const MODELS: ModelName[] = ['ConvNet', 'ConvNetMask', 'SATNet'];

/** Figure 2 of the report (9×9, 9K train / 1K test): [train, test] whole-board accuracy. */
const PAPER: Record<Variant, Record<ModelName, [number, number]>> = {
  original: { ConvNet: [0.726, 0.0004], ConvNetMask: [0.914, 0.151], SATNet: [0.998, 0.983] },
  permuted: { ConvNet: [0, 0], ConvNetMask: [0.0001, 0], SATNet: [0.997, 0.983] },
  visual: { ConvNet: [0.0031, 0], ConvNetMask: [0.89, 0.001], SATNet: [0.936, 0.632] },
};

interface Config {
  size: 4 | 9;
  nTrain: number;
  nTest: number;
  /** SATNet's clauses, auxiliary variables and vector dimension. */
  m: number;
  aux: number;
  k: number;
  lr: number;
  /** The digit classifier's learning rate (the reference's 1e-5 is for 100 epochs of 9K boards). */
  digitLr: number;
  batch: number;
  epochs: number;
  convEpochs: number;
  convWidth: number;
  digitNet: 'mlp' | 'lenet';
}

const QUICK: Config = { size: 4, nTrain: 200, nTest: 100, m: 64, aux: 32, k: 16, lr: 2e-2, digitLr: 2e-3, batch: 20, epochs: 4, convEpochs: 20, convWidth: 32, digitNet: 'mlp' };
// The reference's setting (exps/sudoku.py): m = 600, aux = 300, Adam 2e-3, batch 40, digit net at
// 1e-5; its 100 epochs would take weeks on one core here, so full mode runs 10.
const FULL: Config = { size: 9, nTrain: 9000, nTest: 1000, m: 600, aux: 300, k: 32, lr: 2e-3, digitLr: 1e-5, batch: 40, epochs: 10, convEpochs: 20, convWidth: 256, digitNet: 'lenet' };

/** One variant's inputs in bit form: x [N, s³] (the givens, or the digit images), labels, mask. */
interface Split {
  bits: Tensor;
  labels: Tensor;
  /** 1 where the bit belongs to a given cell (int32). */
  isInput: Tensor;
  solutions: Int32Array;
  /** Visual only: [N, s², 784] images of the given cells. */
  images?: Tensor;
}

interface Data {
  train: Split;
  test: Split;
  /** Permuted only: out[:, j] = bits[:, perm[j]]. */
  permutation?: Int32Array;
}

/** Whole-board accuracy: the argmax digit of every cell equals the solution (outputs in original bit order). */
function boardAccuracy(out: Float32Array | Float64Array, solutions: Int32Array, size: 4 | 9, permutation?: Int32Array): number {
  const cells = size * size;
  const digits = sudokuDigits(out, size, permutation);
  const boards = solutions.length / cells;
  let right = 0;
  for (let b = 0; b < boards; b++) {
    let ok = true;
    for (let c = 0; c < cells && ok; c++) ok = digits[b * cells + c] === solutions[b * cells + c];
    if (ok) right++;
  }
  return right / boards;
}

async function makeData(cfg: Config, variant: Variant, key: Key): Promise<Data> {
  const [kBoards, kPerm, kImages] = splitKey(key, 3) as [Key, Key, Key];
  const all = sudoku({ n: cfg.nTrain + cfg.nTest, key: kBoards, size: cfg.size });
  const cells = cfg.size * cfg.size;
  const part = (t: Tensor, start: number, count: number) => slice(t, [start, 0], [count, t.shape[1]!]);
  const split = (start: number, count: number): Split => {
    const puzzles = part(all.puzzles, start, count);
    const solutions = part(all.solutions, start, count);
    const bits = sudokuToBits(puzzles);
    return { bits, labels: sudokuToBits(solutions), isInput: sudokuInputMask(bits, cfg.size), solutions: solutions.dataSync() as Int32Array };
  };
  const train = split(0, cfg.nTrain);
  const test = split(cfg.nTrain, cfg.nTest);
  if (variant === 'permuted') {
    const permutation = sudokuPermutation(kPerm, cfg.size);
    const permute = (s: Split): Split => ({
      ...s,
      bits: permuteSudokuBits(s.bits, permutation).bits,
      labels: permuteSudokuBits(s.labels, permutation).bits,
      isInput: cast(permuteSudokuBits(cast(s.isInput, 'float32'), permutation).bits, 'int32'),
    });
    return { train: permute(train), test: permute(test), permutation };
  }
  if (variant === 'visual') {
    // Training boards take their digit images from MNIST's training split, test boards from its test split.
    const digits = await mnist({ train: 8000, test: 2000, seed: 0 });
    const [kTr, kTe] = splitKey(kImages, 2) as [Key, Key];
    train.images = visualSudoku(part(all.puzzles, 0, cfg.nTrain), digits.train, kTr);
    test.images = visualSudoku(part(all.puzzles, cfg.nTrain, cfg.nTest), digits.test, kTe);
    if (train.images.shape[1] !== cells) throw new Error('satnet-sudoku: unexpected image layout');
  }
  return { train, test };
}

/** The digit classifier of the visual variant (per-cell logits over the digits 1..size) and the image shape it takes. */
function digitNet(cfg: Config): { net: Module; imageShape: number[] } {
  if (cfg.digitNet === 'mlp') return { net: Sequential([Dense({ units: 64 }), 'relu', Dense({ units: cfg.size })]), imageShape: [784] };
  // The reference's DigitConv (the PyTorch MNIST example), with `size` outputs.
  const net = Sequential([Conv2d({ filters: 20, kernelSize: 5 }), 'relu', MaxPool2d({ kernelSize: 2 }), Conv2d({ filters: 50, kernelSize: 5 }), 'relu', MaxPool2d({ kernelSize: 2 }), Flatten(), Dense({ units: 500 }), 'relu', Dense({ units: cfg.size })]);
  return { net, imageShape: [1, 28, 28] };
}

interface History {
  loss: number[];
  train: number[];
  test: number[];
  seconds: number;
}

const rows = (t: Tensor, start: number, count: number) => slice(t, [start, ...t.shape.slice(1).map(() => 0)], [count, ...t.shape.slice(1)]);

/** Trains SATNet (with the digit classifier in front for the visual variant) and records accuracy per epoch. */
async function trainSatnet(cfg: Config, variant: Variant, data: Data, key: Key, progress: Progress): Promise<History> {
  const [kInit, kDigits, kSteps] = splitKey(key, 3) as [Key, Key, Key];
  const net = variant === 'visual' ? digitNet(cfg) : undefined;
  const trainer = satnetSudokuTrainer({ size: cfg.size, m: cfg.m, aux: cfg.aux, k: cfg.k, lr: cfg.lr, key: kInit, seed: 0, digits: net ? { ...net, lr: cfg.digitLr, key: kDigits } : undefined });
  const batchOf = (s: Split, start: number, count: number): SudokuBatch => ({ x: net ? rows(s.images!, start, count) : rows(s.bits, start, count), isInput: rows(s.isInput, start, count) });
  const n = cfg.size ** 3;
  const evaluate = (s: Split, k: Key) => {
    const total = s.solutions.length / cfg.size ** 2;
    const out = new Float64Array(total * n);
    for (let start = 0; start < total; start += 100) {
      const count = Math.min(100, total - start);
      const batch = batchOf(s, start, count);
      const z = trainer.predict(batch, foldIn(k, start));
      out.set(z.dataSync(), start * n);
      dispose([batch.x, batch.isInput, z]);
    }
    return boardAccuracy(out, s.solutions, cfg.size, data.permutation);
  };
  const history: History = { loss: [], train: [], test: [], seconds: 0 };
  const t0 = performance.now();
  let step = 0;
  for (let epoch = 0; epoch < cfg.epochs; epoch++) {
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start + cfg.batch <= cfg.nTrain; start += cfg.batch) {
      const batch = { ...batchOf(data.train, start, cfg.batch), labels: rows(data.train.labels, start, cfg.batch) };
      lossSum += trainer.step(batch, foldIn(kSteps, step++));
      dispose([batch.x, batch.isInput, batch.labels]);
      batches++;
      progress.tick();
      await breathe();
    }
    history.loss.push(lossSum / batches);
    history.test.push(evaluate(data.test, foldIn(kSteps, 2e6 + epoch)));
  }
  // Training-set accuracy once, at the end (each evaluation is a forward pass per board).
  history.train.push(evaluate(data.train, foldIn(kSteps, 1e6)));
  history.seconds = (performance.now() - t0) / 1000;
  return history;
}

/** ConvNet / ConvNetMask: 3×3 convolutions on the board as a size×size image with one channel per digit (and per mask bit). */
async function trainConv(cfg: Config, variant: Variant, data: Data, masked: boolean, key: Key, progress: Progress): Promise<History> {
  const s = cfg.size;
  const n = s ** 3;
  const [kInit, kDigits] = splitKey(key, 2) as [Key, Key];
  const channels = masked ? 2 * s : s;
  const conv = Sequential([Conv2d({ filters: cfg.convWidth, kernelSize: 3, padding: 'same' }), 'relu', Conv2d({ filters: cfg.convWidth, kernelSize: 3, padding: 'same' }), 'relu', Conv2d({ filters: s, kernelSize: 3, padding: 'same' })]);
  const net = variant === 'visual' ? digitNet(cfg) : undefined;
  const params = { conv: conv.init(kInit, [channels, s, s]).params, digits: net ? net.net.init(kDigits, net.imageShape).params : {} };
  // Bits [B, s³] (cell-major, digit fastest) ↔ images [B, s, s, s] in NCHW with the digit as channel.
  const toImage = (bits: Tensor, b: number) => transpose(reshape(bits, [b, s, s, s]), [0, 3, 1, 2]);
  const toBits = (img: Tensor, b: number) => reshape(transpose(img, [0, 2, 3, 1]), [b, n]);
  const logits = (p: typeof params, split: Split, start: number, count: number) => {
    const x = net ? sudokuDigitProbabilities(net, p.digits, rows(split.images!, start, count), s) : rows(split.bits, start, count);
    const masks = cast(rows(split.isInput, start, count), 'float32');
    const input = masked ? concat([toImage(x, count), toImage(masks, count)], 1) : toImage(x, count);
    return toBits(conv.apply(p.conv as never, input), count);
  };
  const tx = adam({ lr: 1e-3 });
  let current = { params, state: tx.init(params) };
  const history: History = { loss: [], train: [], test: [], seconds: 0 };
  const evaluate = (p: typeof params, split: Split) => {
    const total = split.solutions.length / s ** 2;
    return boardAccuracy(logits(p, split, 0, total).dataSync() as Float32Array, split.solutions, s, data.permutation);
  };
  const t0 = performance.now();
  for (let epoch = 0; epoch < cfg.convEpochs; epoch++) {
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start + cfg.batch <= cfg.nTrain; start += cfg.batch) {
      const y = rows(data.train.labels, start, cfg.batch);
      current = trainStep((p: typeof params) => binaryCrossEntropy(logits(p, data.train, start, cfg.batch), y), tx, current) as typeof current;
      lossSum += (current as unknown as { loss: number }).loss;
      batches++;
    }
    history.loss.push(lossSum / batches);
    history.test.push(evaluate(current.params, data.test));
    progress.tick();
    await breathe();
  }
  history.train.push(evaluate(current.params, data.train));
  history.seconds = (performance.now() - t0) / 1000;
  return history;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function run(config: RunConfig, progress: Progress): Promise<ExperimentResult> {
  const cfg = config.mode === 'full' ? FULL : QUICK;
  const satSteps = Math.floor(cfg.nTrain / cfg.batch) * cfg.epochs;
  progress.start(VARIANTS.length * (satSteps + 2 * cfg.convEpochs), `sudoku ${cfg.size}×${cfg.size}: SATNet, ConvNet, ConvNetMask × original, permuted, visual`);
  const keys = splitKey(prng(config.seed), VARIANTS.length);
  const results: Record<Variant, Record<ModelName, History>> = {} as never;
  let permutationHead = '';
  for (const [i, variant] of VARIANTS.entries()) {
    const [kData, kSat, kConv, kMask] = splitKey(keys[i]!, 4) as [Key, Key, Key, Key];
    const data = await makeData(cfg, variant, kData);
    if (data.permutation) permutationHead = Array.from(data.permutation.slice(0, 8)).join(', ');
    results[variant] = {
      SATNet: await trainSatnet(cfg, variant, data, kSat, progress),
      ConvNet: await trainConv(cfg, variant, data, false, kConv, progress),
      ConvNetMask: await trainConv(cfg, variant, data, true, kMask, progress),
    };
  }

  const last = (h: History) => [h.train.at(-1)!, h.test.at(-1)!] as const;
  const sat = (v: Variant) => last(results[v].SATNet);
  const colour = (model: ModelName, v: Variant) => `${model}, ${v}`;
  const curve = (pick: (h: History) => number[]): Series[] =>
    VARIANTS.flatMap((v) =>
      MODELS.map((model) => ({
        name: colour(model, v),
        mark: model === 'SATNet' ? ('line+dot' as const) : ('line' as const),
        dashed: model !== 'SATNet',
        points: pick(results[v][model]).map((y, e) => ({ x: e + 1, y })),
      })),
    );
  const accuracyFigure: FigureSpec = {
    id: 'satnet-sudoku-test-accuracy',
    title: `Whole-board test accuracy per epoch, ${cfg.size}×${cfg.size} sudoku (${cfg.nTest} test boards)`,
    caption: `A board counts only if every cell's most likely digit is right. SATNet (m = ${cfg.m}, aux = ${cfg.aux}, k = ${cfg.k}) against a ConvNet and a ConvNet that also sees the mask of given bits, on the original bits, on bits under one fixed recorded permutation, and with MNIST images for the given cells. The report's Figure 2 (9×9): SATNet 98.3% / 98.3% / 63.2% test.`,
    x: { label: 'epoch' },
    y: { label: 'test board accuracy', domain: [0, 1] },
    series: curve((h) => h.test),
    rulesY: [{ value: 0.9, label: '0.9' }],
  };
  const lossFigure: FigureSpec = {
    id: 'satnet-sudoku-train-loss',
    title: 'Training loss per epoch (binary cross-entropy over the bits)',
    caption: 'Mean binary cross-entropy of the predicted bits against the solution bits over each epoch, for every model and variant (SATNet on its relaxed outputs, the ConvNets on their logits).',
    x: { label: 'epoch' },
    y: { label: 'training loss', type: 'log' },
    series: curve((h) => h.loss),
  };

  const [satTrain, satTest] = sat('original');
  const conv = (v: Variant, m: ModelName) => last(results[v][m])[1];
  const structureBlind = sat('permuted')[1] >= 0.9;
  const satnetBeatsConv = VARIANTS.every((v) => sat(v)[1] > Math.max(conv(v, 'ConvNet'), conv(v, 'ConvNetMask')));
  const matches = satTest >= 0.9 && structureBlind && satnetBeatsConv;
  const satSeconds = VARIANTS.reduce((s, v) => s + results[v].SATNet.seconds, 0);
  const boardPasses = VARIANTS.length * (cfg.epochs * (2 * cfg.nTrain + cfg.nTest) + cfg.nTrain);

  return {
    setup: {
      boards: `${cfg.size}×${cfg.size}, ${cfg.nTrain} train / ${cfg.nTest} test per variant (seeded, unique solutions; paper: 9×9, 9K / 1K)`,
      SATNet: `n = ${cfg.size ** 3} bits, m = ${cfg.m}, aux = ${cfg.aux}, k = ${cfg.k}, maxIter 40, eps 1e-4, proxLambda 1e-2`,
      training: `Adam lr ${cfg.lr}, batch ${cfg.batch}, ${cfg.epochs} epochs (reference: lr 2e-3, batch 40, 100 epochs)`,
      'ConvNet / ConvNetMask': `3 conv layers 3×3, width ${cfg.convWidth}, Adam 1e-3, ${cfg.convEpochs} epochs; the mask as ${cfg.size} extra channels`,
      'visual digit classifier': cfg.digitNet === 'mlp' ? `MLP 784-64-${cfg.size}, Adam ${cfg.digitLr}, trained jointly (no digit labels)` : `the reference's DigitConv, Adam ${cfg.digitLr}, trained jointly`,
      permutation: `sudokuPermutation(key, ${cfg.size}), first entries ${permutationHead}, …`,
      dtype: 'float32 (SATNet computes in float64 inside)',
    },
    backendUsed: `${config.backend} float32 (SATNet reads its inputs and runs its own float64 typed-array kernels)`,
    figures: [accuracyFigure, lossFigure],
    comparison: {
      headers: ['variant', 'model', 'paper train', 'paper test', 'this run train', 'this run test'],
      rows: VARIANTS.flatMap((v) => MODELS.map((model) => [v, model, pct(PAPER[v][model][0]), pct(PAPER[v][model][1]), pct(last(results[v][model])[0]), pct(last(results[v][model])[1])])),
    },
    verdict: {
      status: matches ? 'matches' : 'differs',
      text: `${config.mode === 'full' ? '' : `At ${cfg.size}×${cfg.size} with ${cfg.nTrain} training boards (the report: 9×9, 9K), `}SATNet reaches ${pct(satTest)} whole-board test accuracy on the original bits (train ${pct(satTrain)}), ${pct(sat('permuted')[1])} on permuted bits and ${pct(sat('visual')[1])} with MNIST givens; the ConvNet reaches ${pct(conv('original', 'ConvNet'))} / ${pct(conv('permuted', 'ConvNet'))} / ${pct(conv('visual', 'ConvNet'))} and the masked ConvNet ${pct(conv('original', 'ConvNetMask'))} / ${pct(conv('permuted', 'ConvNetMask'))} / ${pct(conv('visual', 'ConvNetMask'))}. ${structureBlind ? 'As in the report, permuting the bits does not hurt SATNet' : 'Unlike the report, the permuted bits hurt SATNet'}${satnetBeatsConv ? ' and SATNet beats both ConvNets on every variant' : ', and SATNet does not beat both ConvNets everywhere'}. The paper's numbers (98.3% / 98.3% / 63.2%) are for 9×9 boards after 100 epochs; this run's scale is far smaller, so the absolute figures are not comparable.`,
    },
    headline: {
      [`testBoardAccuracy_${config.mode}`]: satTest,
      trainBoardAccuracy: satTrain,
      testBoardAccuracy_permuted: sat('permuted')[1],
      testBoardAccuracy_visual: sat('visual')[1],
      convNetTestAccuracy_original: conv('original', 'ConvNet'),
      convNetMaskTestAccuracy_original: conv('original', 'ConvNetMask'),
      convNetTestAccuracy_permuted: conv('permuted', 'ConvNet'),
      satnetMsPerBoardPass: (1000 * satSeconds) / boardPasses,
    },
    notes: [
      `Board size ${cfg.size}×${cfg.size}: the quick run uses 4×4 boards (64 bits) so that it finishes in about a minute; --full runs the reference's 9×9 setting for ${FULL.epochs} epochs (the reference trains 100): about 3.4 hours per epoch of SATNet training on one core, so days.`,
      'SATNet follows the reference (S initialised as N(0, 1)·√(0.5/(n + 1 + aux + m)), inputs on the (v_⊤, e₁) plane with a random sign, the mixing method with its stopping rule, the analytic backward with proxLambda); its input gradient is the exact one, where the reference scales the pass-through term and the cos term by an extra π (see @ddopt/diff-solvers README).',
      'Loss and accuracy as the reference computes them: binary cross-entropy over all bits (givens pass through, which is what supervises the digit classifier in the visual variant), a board correct when every cell is (the reference checks validity, the same thing for puzzles with unique solutions).',
      `Time spent in SATNet training and evaluation: ${satSeconds.toFixed(1)} s for ${boardPasses} board passes (a training step counts as two: forward and backward), ${((1000 * satSeconds) / boardPasses).toFixed(2)} ms each, on a shared machine.`,
    ],
  };
}

/** SATNet vs ConvNets on original, permuted and visual sudoku (report 003, Figure 2). */
export const satnetSudoku: Experiment = {
  id: 'satnet-sudoku',
  seed: '003 (discrete optimizers)',
  title: 'SATNet learns sudoku: original, permuted and visual boards vs ConvNets',
  reference: 'Discrete-optimizers report §2.3, Figure 2 (Wang et al. 2019)',
  run,
};
