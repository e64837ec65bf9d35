// satnetSudokuTrainer (the satnet-sudoku experiment's training step, also run by the docs site's
// sudoku playground), sudokuInputMask and sudokuDigits, on 4×4 boards.
import { permuteSudokuBits, sudoku, sudokuPermutation, sudokuToBits } from '@ddopt/datasets';
import { foldIn, type Key, prng, slice, splitKey, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { satnetSudokuTrainer, sudokuDigits, sudokuInputMask } from '../src/index.js';

const [kData, kInit, kStep] = splitKey(prng(4), 3) as [Key, Key, Key];
const boards = sudoku({ n: 10, key: kData, size: 4 });
const x = sudokuToBits(boards.puzzles);
const labels = sudokuToBits(boards.solutions);
const isInput = sudokuInputMask(x, 4);

describe('sudokuInputMask and sudokuDigits', () => {
  it('marks the 4 bits of every given cell and no others', () => {
    const puzzles = boards.puzzles.dataSync();
    const mask = isInput.dataSync();
    for (let cell = 0; cell < puzzles.length; cell++) {
      for (let d = 0; d < 4; d++) expect(mask[cell * 4 + d]).toBe(puzzles[cell] === 0 ? 0 : 1);
    }
    expect(isInput.dtype).toBe('int32');
  });

  it('reads back the digits of sudokuToBits, also through a bit permutation', () => {
    const solutions = Array.from(boards.solutions.dataSync());
    expect(Array.from(sudokuDigits(labels.dataSync(), 4))).toEqual(solutions);
    const perm = sudokuPermutation(prng(1), 4);
    expect(Array.from(sudokuDigits(permuteSudokuBits(labels, perm).bits.dataSync(), 4, perm))).toEqual(solutions);
    // The most likely digit wins: cell 0 leans to 3, the other cells to 1 (ties go to the lowest digit).
    const soft = new Float64Array(64).fill(0.2);
    soft[2] = 0.9;
    expect(Array.from(sudokuDigits(soft, 4))).toEqual([3, ...new Array(15).fill(1)]);
    expect(() => sudokuDigits(new Float64Array(63), 4)).toThrow(/sudokuDigits: 63 bits are not whole 4×4 boards of 64 bits/);
  });
});

describe('satnetSudokuTrainer', () => {
  it('returns the binary cross-entropy of the outputs at the point of the step (recomputed here in float64), and the loss falls on a fixed batch', () => {
    const trainer = satnetSudokuTrainer({ size: 4, m: 32, aux: 8, k: 8, lr: 0.05, key: kInit });
    const batch = { x, isInput, labels };
    const key = foldIn(kStep, 0);
    // The same key makes the same forward pass: the step's loss is the BCE of predict's z.
    const z = trainer.predict(batch, key).dataSync();
    const y = labels.dataSync();
    let bce = 0;
    for (let i = 0; i < z.length; i++) bce -= y[i]! * Math.log(Math.max(z[i]!, 1e-12)) + (1 - y[i]!) * Math.log(Math.max(1 - z[i]!, 1e-12));
    bce /= z.length;
    const first = trainer.step(batch, key);
    expect(Math.abs(first - bce)).toBeLessThan(1e-6);
    let last = first;
    for (let t = 1; t < 8; t++) last = trainer.step(batch, foldIn(kStep, t));
    expect(last).toBeLessThan(0.8 * first);
    // Givens pass through unchanged.
    const out = trainer.predict({ x, isInput }, kStep).dataSync();
    const xs = x.dataSync();
    const mask = isInput.dataSync();
    for (let i = 0; i < out.length; i++) if (mask[i]) expect(out[i]).toBeCloseTo(xs[i]!, 6);
  });

  it('refuses unknown options and batches of the wrong shape, naming them', () => {
    expect(() => satnetSudokuTrainer({ size: 4, m: 8, aux: 0, k: 4, lr: 0.1, key: kInit, clauses: 3 } as never)).toThrow(/satnetSudokuTrainer: unknown option "clauses"/);
    expect(() => satnetSudokuTrainer({ size: 5, m: 8, aux: 0, k: 4, lr: 0.1, key: kInit } as never)).toThrow(/satnetSudokuTrainer: size must be one of 4, 9, got 5/);
    const trainer = satnetSudokuTrainer({ size: 4, m: 8, aux: 0, k: 4, lr: 0.1, key: kInit });
    const bad = slice(x, [0, 0], [2, 32]);
    expect(() => trainer.predict({ x: bad, isInput: slice(isInput, [0, 0], [2, 32]) }, kStep)).toThrow(/satnetSudokuTrainer\.predict: batch\.x must be bits \[B, 64\], got \[2, 32\]/);
    expect(() => trainer.step({ x, isInput, labels: tensor([[1]]) }, kStep)).toThrow(/satnetSudokuTrainer\.step: batch\.labels must be bits \[10, 64\], got \[1, 1\]/);
  });
});
