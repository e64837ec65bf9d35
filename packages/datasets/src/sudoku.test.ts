import { prng, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { countSudokuSolutions, permuteSudokuBits, sudoku, sudokuPermutation, sudokuToBits } from './generators/sudoku.js';
import { visualSudoku } from './generators/visual-sudoku.js';

function isValidSolution(g: ArrayLike<number>): boolean {
  const groups: number[][] = [];
  for (let i = 0; i < 9; i++) {
    groups.push(Array.from({ length: 9 }, (_, j) => 9 * i + j));
    groups.push(Array.from({ length: 9 }, (_, j) => 9 * j + i));
    const r0 = 3 * Math.floor(i / 3);
    const c0 = 3 * (i % 3);
    groups.push(Array.from({ length: 9 }, (_, j) => 9 * (r0 + Math.floor(j / 3)) + c0 + (j % 3)));
  }
  return groups.every((cells) => new Set(cells.map((c) => g[c])).size === 9 && cells.every((c) => g[c]! >= 1 && g[c]! <= 9));
}

describe('sudoku', () => {
  it('draws valid solutions and unique puzzles consistent with them, deterministically', () => {
    const { puzzles, solutions } = sudoku({ n: 4, key: prng(0), givens: 30 });
    expect(puzzles.shape).toEqual([4, 81]);
    const p = puzzles.dataSync();
    const s = solutions.dataSync();
    for (let i = 0; i < 4; i++) {
      const sol = s.slice(i * 81, (i + 1) * 81);
      const puz = p.slice(i * 81, (i + 1) * 81);
      expect(isValidSolution(sol)).toBe(true);
      expect(Array.from(puz).filter((d) => d !== 0).length).toBe(30);
      puz.forEach((d, c) => {
        if (d !== 0) expect(d).toBe(sol[c]);
      });
      const found = new Int8Array(81);
      expect(countSudokuSolutions(puz, 2, found)).toBe(1);
      expect(Array.from(found)).toEqual(Array.from(sol));
    }
    expect(Array.from(sudoku({ n: 4, key: prng(0), givens: 30 }).puzzles.dataSync())).toEqual(Array.from(p));
    expect(Array.from(sudoku({ n: 1, key: prng(1), givens: 30 }).solutions.dataSync())).not.toEqual(Array.from(s.slice(0, 81)));
  });

  it('counts solutions and detects clashes', () => {
    expect(countSudokuSolutions(new Int8Array(81), 3)).toBe(3);
    const clash = new Int8Array(81);
    clash[0] = 5;
    clash[8] = 5;
    expect(countSudokuSolutions(clash)).toBe(0);
  });

  it('bit encoding and the fixed permutation of SATNet', () => {
    const { puzzles } = sudoku({ n: 2, key: prng(3), givens: 40, unique: false });
    const bits = sudokuToBits(puzzles);
    expect(bits.shape).toEqual([2, 729]);
    const b = bits.dataSync();
    const p = puzzles.dataSync();
    expect(Array.from(b).reduce((a, x) => a + x, 0)).toBe(80);
    for (let c = 0; c < 81; c++) if (p[c]! > 0) expect(b[c * 9 + p[c]! - 1]).toBe(1);
    const a = permuteSudokuBits(bits, prng(7));
    const again = permuteSudokuBits(bits, prng(7));
    expect(Array.from(a.permutation)).toEqual(Array.from(again.permutation));
    const out = a.bits.dataSync();
    for (let j = 0; j < 729; j++) expect(out[729 + j]).toBe(b[729 + a.permutation[j]!]);
  });
});

describe('4×4 sudoku (2×2 boxes, for quick runs)', () => {
  // Rows, columns and 2×2 boxes of a 4×4 grid, written out by hand.
  const groups4 = [
    [0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15],
    [0, 4, 8, 12], [1, 5, 9, 13], [2, 6, 10, 14], [3, 7, 11, 15],
    [0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15],
  ];

  it('draws valid 4×4 solutions and unique puzzles with the requested givens', () => {
    const { puzzles, solutions } = sudoku({ n: 20, key: prng(11), size: 4, givens: 5 });
    expect(puzzles.shape).toEqual([20, 16]);
    const p = puzzles.dataSync();
    const s = solutions.dataSync();
    for (let i = 0; i < 20; i++) {
      const sol = Array.from(s.slice(i * 16, (i + 1) * 16));
      const puz = Array.from(p.slice(i * 16, (i + 1) * 16));
      for (const g of groups4) expect(new Set(g.map((c) => sol[c])), `board ${i}`).toEqual(new Set([1, 2, 3, 4]));
      expect(puz.filter((d) => d !== 0).length).toBe(5);
      puz.forEach((d, c) => {
        if (d !== 0) expect(d).toBe(sol[c]);
      });
      expect(countSudokuSolutions(puz, 2)).toBe(1);
    }
    // 288 full 4×4 grids exist; an empty grid has more than 2 completions, a clash none.
    expect(countSudokuSolutions(new Int8Array(16), 1000)).toBe(288);
    const clash = new Int8Array(16);
    clash[0] = 2;
    clash[5] = 2; // same 2×2 box
    expect(countSudokuSolutions(clash)).toBe(0);
    expect(() => sudoku({ n: 1, key: prng(0), size: 4, givens: 3 })).toThrow(/givens/);
    expect(() => sudoku({ n: 1, key: prng(0), size: 5 as 4 })).toThrow(/sudoku: size must be one of 4, 9, got 5/);
  });

  it('bits are [n, 64]; a recorded permutation gives the training and test boards the same scramble', () => {
    const train = sudokuToBits(sudoku({ n: 3, key: prng(1), size: 4 }).puzzles);
    const test = sudokuToBits(sudoku({ n: 2, key: prng(2), size: 4 }).puzzles);
    expect(train.shape).toEqual([3, 64]);
    const perm = sudokuPermutation(prng(9), 4);
    expect(Array.from(perm).sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, j) => j));
    const a = permuteSudokuBits(train, perm);
    const b = permuteSudokuBits(test, perm);
    expect(Array.from(permuteSudokuBits(train, prng(9)).bits.dataSync())).toEqual(Array.from(a.bits.dataSync()));
    const tb = test.dataSync();
    const pb = b.bits.dataSync();
    for (let j = 0; j < 64; j++) expect(pb[64 + j]).toBe(tb[64 + perm[j]!]);
    expect(() => permuteSudokuBits(train, new Int32Array(64))).toThrow(/each of 0..63 once/);
    expect(() => permuteSudokuBits(train, sudokuPermutation(prng(9), 9))).toThrow(/729 entries/);
  });
});

describe('visualSudoku', () => {
  it('puts an image of the right digit in every given cell and zeros in blanks', () => {
    // Tiny "digits": image of digit d is constant d/10 (two per digit, offset by 0.01 for the second).
    const m = 20;
    const x = new Float64Array(m * 4);
    const y = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      y[i] = i % 10;
      x.fill((i % 10) / 10 + (i >= 10 ? 0.01 : 0), i * 4, i * 4 + 4);
    }
    const digits = { x: tensor(x, { shape: [m, 4], dtype: 'float64' }), y: tensor(y, { dtype: 'int32' }) };
    const { puzzles } = sudoku({ n: 2, key: prng(5), givens: 50, unique: false });
    const img = visualSudoku(puzzles, digits, prng(6));
    expect(img.shape).toEqual([2, 81, 4]);
    const v = img.dataSync();
    const p = puzzles.dataSync();
    for (let c = 0; c < 162; c++) {
      const want = p[c]! / 10;
      const got = v[c * 4]!;
      if (p[c] === 0) expect(got).toBe(0);
      else expect(Math.abs(got - want) < 1e-12 || Math.abs(got - want - 0.01) < 1e-12).toBe(true);
    }
    expect(Array.from(visualSudoku(puzzles, digits, prng(6)).dataSync())).toEqual(Array.from(v));
    const small = sudoku({ n: 3, key: prng(8), size: 4 }).puzzles;
    const img4 = visualSudoku(small, digits, prng(6));
    expect(img4.shape).toEqual([3, 16, 4]);
    const v4 = img4.dataSync();
    small.dataSync().forEach((d, c) => {
      expect(Math.abs(v4[c * 4]! - d / 10) < 0.011).toBe(true);
    });
  });
});
