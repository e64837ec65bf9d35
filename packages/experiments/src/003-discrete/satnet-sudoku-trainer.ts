// SATNet's sudoku training step (report 003 §2.3; Wang et al. 2019's exps/sudoku.py): Adam on the
// binary cross-entropy of SATNet's relaxed bits against the solution's bits, optionally with a
// digit classifier in front (visual sudoku). One piece of code for the satnet-sudoku experiment
// and the docs site's sudoku playground, which trains it in the page.
import { type Satnet, type SatnetParams, satnet } from '@ddopt/diff-solvers';
import type { Module } from '@ddopt/layers';
import { adam, trainStep } from '@ddopt/optimizers';
import { add, isKey, isTensor, type Key, log, maximum, mean, mul, neg, type PyTree, reshape, softmax, sub, type Tensor, tensor } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';

/** A digit classifier in front of SATNet (visual sudoku): per-cell logits over the digits 1..size. */
export interface SudokuDigitNet {
  net: Module;
  /** The shape one cell's image takes for `net` (e.g. [784] or [1, 28, 28]). */
  imageShape: number[];
  /** Its Adam learning rate. */
  lr: number;
  /** Key of its initialisation. */
  key: Key;
}

/** Options of `satnetSudokuTrainer`. */
export interface SatnetSudokuTrainerOptions {
  /** Board size: 4 (64 bits) or 9 (729 bits). */
  size: 4 | 9;
  /** SATNet's clauses, auxiliary variables and vector dimension. */
  m: number;
  aux: number;
  k: number;
  /** Adam's learning rate for SATNet's S. */
  lr: number;
  /** Key of S's initialisation. */
  key: Key;
  /** Seed of the layer's own randomness (used when a call gets no key; default 0). */
  seed?: number;
  /** Digit classifier trained jointly (visual sudoku); without it the inputs are bits. */
  digits?: SudokuDigitNet;
}

/** A batch of boards: x is bits [B, size³] (or digit images [B, size², …] with a digit classifier); isInput int32 [B, size³], 1 on the bits of given cells. */
export interface SudokuBatch {
  x: Tensor;
  isInput: Tensor;
}

/** Parameters of a trainer: SATNet's S and the digit classifier's (an empty object without one). */
export interface SatnetSudokuParams {
  sat: SatnetParams;
  digits: PyTree;
}

/** A SATNet being trained on sudoku boards: `step` updates it, `predict` solves boards. */
export interface SatnetSudokuTrainer {
  readonly layer: Satnet;
  readonly size: 4 | 9;
  /** The current parameters. */
  readonly params: SatnetSudokuParams;
  /** One Adam step on the batch's binary cross-entropy against the solution bits `labels` [B, size³]; returns the loss before the step. */
  step(batch: SudokuBatch & { labels: Tensor }, key: Key): number;
  /** SATNet's relaxed bits [B, size³] ∈ [0, 1] for the batch (givens passed through). */
  predict(batch: SudokuBatch, key: Key): Tensor;
}

const TRAINER_OPTIONS = {
  size: option.oneOf([4, 9]).required(),
  m: option.int(1).required(),
  aux: option.int(0).required(),
  k: option.int(2).required(),
  lr: option.number({ above: 0 }).required(),
  key: option.key<Key>().required(),
  seed: option.number({ integer: true }).default(0),
  digits: option.object<SudokuDigitNet>(),
};

/** Binary cross-entropy of probabilities (SATNet's outputs) against 0/1 targets, log clamped at 1e-12. */
function bceOfProbabilities(z: Tensor, y: Tensor): Tensor {
  const eps = 1e-12;
  return neg(mean(add(mul(y, log(maximum(z, eps))), mul(sub(1, y), log(maximum(sub(1, z), eps))))));
}

/** A digit classifier's probabilities [B, s³] (as bits: cell-major, digit fastest) for a batch of cell images [B, s², …image]. */
export function sudokuDigitProbabilities(d: { net: Module; imageShape: number[] }, params: PyTree, images: Tensor, size: number): Tensor {
  const [b, cells] = images.shape as [number, number];
  const logits = d.net.apply(params as never, reshape(images, [b * cells, ...d.imageShape]));
  return reshape(softmax(logits, -1), [b, cells * size]);
}

/**
 * A SATNet (n = size³ bits, `m` clauses, `aux` hidden variables) with Adam, trained as the
 * reference trains it on sudoku: loss = binary cross-entropy of all output bits (givens included).
 */
export function satnetSudokuTrainer(options: SatnetSudokuTrainerOptions): SatnetSudokuTrainer {
  const where = 'satnetSudokuTrainer';
  const o = checkOptions(where, options, TRAINER_OPTIONS);
  const size = o.size as 4 | 9;
  const d = o.digits;
  if (d !== undefined && (typeof d.net?.apply !== 'function' || !Array.isArray(d.imageShape) || !(d.lr > 0) || !isKey(d.key))) {
    throw new TypeError(`${where}: digits must be { net, imageShape, lr > 0, key }, got keys ${Object.keys(d).join(', ')}`);
  }
  const n = size ** 3;
  const layer = satnet({ n, m: o.m, aux: o.aux, k: o.k, seed: o.seed });
  const params: SatnetSudokuParams = { sat: layer.init(o.key).params, digits: d ? (d.net.init(d.key, d.imageShape).params as PyTree) : {} };
  const tx = adam({ lr: o.lr });
  const txDigits = adam({ lr: d?.lr ?? o.lr });
  let current = { params, state: { sat: tx.init(params.sat as never), digits: txDigits.init(params.digits as never) } };
  const combined = {
    init: () => current.state,
    update: (g: SatnetSudokuParams, s: typeof current.state, p: SatnetSudokuParams) => {
      const a = tx.update(g.sat as never, s.sat, p.sat as never);
      const b = d ? txDigits.update(g.digits as never, s.digits, p.digits as never) : { updates: g.digits, state: s.digits };
      return { updates: { sat: a.updates, digits: b.updates }, state: { sat: a.state, digits: b.state } };
    },
  };
  const check = (fn: string, batch: SudokuBatch, labels?: Tensor) => {
    const at = `${where}.${fn}`;
    if (batch === null || typeof batch !== 'object' || !isTensor(batch.x) || !isTensor(batch.isInput)) throw new TypeError(`${at}: batch must be { x, isInput${labels === undefined ? '' : ', labels'} } of Tensors`);
    const B = batch.x.shape[0];
    const xOk = d ? batch.x.rank >= 3 && batch.x.shape[1] === size * size : batch.x.rank === 2 && batch.x.shape[1] === n;
    if (!xOk) throw new RangeError(`${at}: batch.x must be ${d ? `digit images [B, ${size * size}, …]` : `bits [B, ${n}]`}, got ${fmtShape(batch.x.shape)}`);
    if (labels !== undefined && (!isTensor(labels) || labels.rank !== 2 || labels.shape[0] !== B || labels.shape[1] !== n)) {
      throw new RangeError(`${at}: batch.labels must be bits [${B}, ${n}], got ${isTensor(labels) ? fmtShape(labels.shape) : typeof labels}`);
    }
  };
  const inputs = (p: SatnetSudokuParams, batch: SudokuBatch) => ({ z: d ? sudokuDigitProbabilities(d, p.digits, batch.x, size) : batch.x, isInput: batch.isInput });
  return {
    layer,
    size,
    get params() {
      return current.params;
    },
    step(batch, key) {
      check('step', batch, batch?.labels);
      const loss = (p: SatnetSudokuParams) => bceOfProbabilities(layer.apply(p.sat, inputs(p, batch), { key }), batch.labels);
      const next = trainStep(loss, combined as never, current as never) as unknown as typeof current & { loss: number };
      current = { params: next.params, state: next.state };
      return next.loss;
    },
    predict(batch, key) {
      check('predict', batch);
      return layer.apply(current.params.sat, inputs(current.params, batch), { key });
    },
  };
}

/** The mask of given bits [B, size³] (int32): every bit of a cell with a digit is an input, as the reference builds it. */
export function sudokuInputMask(bits: Tensor, size: 4 | 9): Tensor {
  if (!isTensor(bits) || bits.rank !== 2 || bits.shape[1] !== size ** 3) throw new RangeError(`sudokuInputMask: bits must be [B, ${size ** 3}] for ${size}×${size} boards, got ${isTensor(bits) ? fmtShape(bits.shape) : typeof bits}`);
  const v = bits.dataSync();
  const out = new Int32Array(v.length);
  for (let c = 0; c < v.length; c += size) {
    let given = 0;
    for (let dd = 0; dd < size; dd++) given += v[c + dd]!;
    if (given > 0) out.fill(1, c, c + size);
  }
  return tensor(out, { shape: bits.shape, dtype: 'int32' });
}

/**
 * Each cell's most likely digit (1..size) from bits [B·size³] (flat, cell-major, digit fastest):
 * B·size² digits. `permutation` undoes a bit permutation first (out[:, j] = bits[:, perm[j]]).
 */
export function sudokuDigits(bits: ArrayLike<number>, size: 4 | 9, permutation?: Int32Array): Int32Array {
  const width = size ** 3;
  if (bits.length % width !== 0) throw new RangeError(`sudokuDigits: ${bits.length} bits are not whole ${size}×${size} boards of ${width} bits`);
  const boards = bits.length / width;
  const out = new Int32Array(boards * size * size);
  const row = new Float64Array(width);
  for (let b = 0; b < boards; b++) {
    for (let j = 0; j < width; j++) row[permutation ? permutation[j]! : j] = bits[b * width + j]!;
    for (let c = 0; c < size * size; c++) {
      let best = 0;
      for (let dd = 1; dd < size; dd++) if (row[c * size + dd]! > row[c * size + best]!) best = dd;
      out[b * size * size + c] = best + 1;
    }
  }
  return out;
}
