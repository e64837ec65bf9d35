import { type Key, type Tensor, isKey, splitKey, tensor } from '@ddopt/tensor';
import { assertInt, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { KEY } from '../options.js';
import { hostPermutation } from '../batches.js';
import { HostRandom } from './host-random.js';

/** Board sizes the generators know: 4×4 (2×2 boxes, for quick runs) and 9×9 (3×3 boxes). */
export type SudokuSize = 4 | 9;

/** The board size whose grid has `cells` cells (16 or 81), or undefined. */
function sizeOfCells(cells: number): SudokuSize | undefined {
  return cells === 16 ? 4 : cells === 81 ? 9 : undefined;
}

/**
 * Counts the completions of a 4×4 or 9×9 grid (16 or 81 cells, 0 = blank, 1..size given) up to
 * `limit`, by backtracking on the cell with the fewest candidates. Writes the first completion
 * found into `solution` when given; `rng` randomizes the order digits are tried (used to draw
 * random full grids).
 */
export function countSudokuSolutions(grid: ArrayLike<number>, limit = 2, solution?: Int8Array, rng?: HostRandom): number {
  const size = sizeOfCells(grid.length);
  if (size === undefined) throw new RangeError(`countSudokuSolutions: grid must have 16 (4×4) or 81 (9×9) cells, got ${grid.length}`);
  const cells = size * size;
  const b = size === 4 ? 2 : 3;
  const box = (cell: number) => b * Math.floor(cell / (b * size)) + Math.floor((cell % size) / b);
  const all = ((1 << (size + 1)) - 1) & ~1; // bits 1..size
  const g = Int8Array.from(grid);
  const rows = new Int32Array(size);
  const cols = new Int32Array(size);
  const boxes = new Int32Array(size);
  for (let c = 0; c < cells; c++) {
    const d = g[c]!;
    if (d === 0) continue;
    if (!(d >= 1 && d <= size)) throw new RangeError(`countSudokuSolutions: cell ${c} holds ${d}, expected 0..${size}`);
    const bit = 1 << d;
    const r = Math.floor(c / size);
    if ((rows[r]! | cols[c % size]! | boxes[box(c)]!) & bit) return 0; // the givens already clash
    rows[r]! |= bit;
    cols[c % size]! |= bit;
    boxes[box(c)]! |= bit;
  }
  let found = 0;
  const search = (): boolean => {
    let best = -1;
    let bestFree = 0;
    let bestCount = size + 1;
    for (let c = 0; c < cells; c++) {
      if (g[c] !== 0) continue;
      const free = ~(rows[Math.floor(c / size)]! | cols[c % size]! | boxes[box(c)]!) & all;
      let count = 0;
      for (let f = free; f; f &= f - 1) count++;
      if (count < bestCount) {
        best = c;
        bestFree = free;
        bestCount = count;
        if (count <= 1) break;
      }
    }
    if (best < 0) {
      if (found === 0 && solution) solution.set(g);
      return ++found >= limit;
    }
    const digits: number[] = [];
    for (let d = 1; d <= size; d++) if (bestFree & (1 << d)) digits.push(d);
    if (rng) rng.shuffle(digits);
    const r = Math.floor(best / size);
    for (const d of digits) {
      const bit = 1 << d;
      g[best] = d;
      rows[r]! |= bit;
      cols[best % size]! |= bit;
      boxes[box(best)]! |= bit;
      const stop = search();
      rows[r]! &= ~bit;
      cols[best % size]! &= ~bit;
      boxes[box(best)]! &= ~bit;
      g[best] = 0;
      if (stop) return true;
    }
    return false;
  };
  search();
  return found;
}

/** Options of `sudoku`. */
export interface SudokuOptions {
  /** Puzzles. */
  n: number;
  key: Key;
  /** Board size: 9 (default, SATNet's 9×9) or 4 (4×4 with 2×2 boxes, for quick runs). */
  size?: SudokuSize;
  /** Given cells per puzzle (default 36 for 9×9, close to the 36.2 average of SATNet's data set; 7 for 4×4, the same fraction). */
  givens?: number;
  /** Remove a cell only while the puzzle keeps a unique solution (default true). */
  unique?: boolean;
}

/**
 * Seeded 9×9 (or 4×4) sudoku: random full grids (backtracking with random digit order) with cells
 * removed in random order down to `givens`, keeping the solution unique unless `unique: false`.
 * Returns int32 puzzles [n, size²] (0 = blank) and solutions [n, size²] (1..size), row-major.
 */
export function sudoku(given: SudokuOptions): { puzzles: Tensor; solutions: Tensor } {
  const options = checkOptions('sudoku', given, { n: option.int(1).required(), key: KEY.required(), size: option.oneOf([4, 9]), givens: option.int(0), unique: option.boolean() });
  const n = assertInt('sudoku', 'n', options?.n, 1);
  const size = options.size ?? 9;
  if (size !== 4 && size !== 9) throw new RangeError(`sudoku: size must be 4 or 9, got ${String(size)}`);
  const CELLS = size * size;
  // 17 is the fewest givens a 9×9 puzzle with a unique solution can have, 4 for 4×4.
  const fewest = size === 9 ? 17 : 4;
  const givens = assertInt('sudoku', 'givens', options.givens ?? (size === 9 ? 36 : 7), fewest);
  if (givens > CELLS) throw new RangeError(`sudoku: givens must be at most ${CELLS} for ${size}×${size} boards, got ${givens}`);
  const unique = options.unique ?? true;
  const puzzles = new Int32Array(n * CELLS);
  const solutions = new Int32Array(n * CELLS);
  const keys = splitKey(options.key, n);
  const full = new Int8Array(CELLS);
  for (let i = 0; i < n; i++) {
    const rng = new HostRandom(keys[i]!);
    countSudokuSolutions(new Int8Array(CELLS), 1, full, rng);
    const puzzle = Int8Array.from(full);
    let left = CELLS;
    for (const c of rng.shuffle(Array.from({ length: CELLS }, (_, j) => j))) {
      if (left === givens) break;
      const keep = puzzle[c]!;
      puzzle[c] = 0;
      if (unique && countSudokuSolutions(puzzle, 2) !== 1) puzzle[c] = keep;
      else left--;
    }
    puzzles.set(puzzle, i * CELLS);
    solutions.set(full, i * CELLS);
  }
  return { puzzles: tensor(puzzles, { shape: [n, CELLS], dtype: 'int32' }), solutions: tensor(solutions, { shape: [n, CELLS], dtype: 'int32' }) };
}

/**
 * SATNet's bit encoding: grids int32 [n, 81] → float [n, 729] (or [n, 16] → [n, 64] for 4×4) with
 * bit size·cell + (digit − 1) set for each filled cell (blank cells are all zeros).
 */
export function sudokuToBits(grids: Tensor, given?: { dtype?: 'float32' | 'float64' }): Tensor {
  const options = checkOptions('sudokuToBits', given, { dtype: option.oneOf(['float32', 'float64']) });
  const size = grids.rank === 2 ? sizeOfCells(grids.shape[1]!) : undefined;
  if (grids.dtype !== 'int32' || size === undefined) throw new TypeError(`sudokuToBits: grids must be int32 [n, 81] (9×9) or [n, 16] (4×4), got ${grids.dtype} ${fmtShape(grids.shape)}`);
  const v = grids.dataSync();
  const out = new Float64Array(v.length * size);
  for (let i = 0; i < v.length; i++) {
    const d = v[i]!;
    if (d < 0 || d > size) throw new RangeError(`sudokuToBits: cell value ${d} at flat index ${i} is outside 0..${size}`);
    if (d > 0) out[i * size + d - 1] = 1;
  }
  return tensor(out, { shape: [grids.shape[0]!, grids.shape[1]! * size], dtype: options.dtype ?? 'float32' });
}

/**
 * The fixed bit permutation of SATNet's "permuted sudoku" for `size`×`size` boards (size³ bit
 * positions), drawn from `key`. Record it with the data set and pass it to `permuteSudokuBits`
 * for the training and the test boards alike.
 */
export function sudokuPermutation(key: Key, size: SudokuSize = 9): Int32Array {
  if (!isKey(key)) throw new TypeError(`sudokuPermutation: key must be a PRNG key (prng(seed) or splitKey), got ${typeof key}`);
  if (size !== 4 && size !== 9) throw new RangeError(`sudokuPermutation: size must be 4 or 9, got ${String(size)}`);
  return hostPermutation(key, size ** 3);
}

/**
 * SATNet's "permuted sudoku": one fixed permutation of the bit positions applied to every sample,
 * which hides the board's structure from the model. `permutation` is a key (the permutation is
 * drawn with `sudokuPermutation`) or a recorded permutation of 0..size³−1. Returns the permuted
 * bits and the permutation (out[:, j] = bits[:, perm[j]]).
 */
export function permuteSudokuBits(bits: Tensor, permutation: Key | Int32Array): { bits: Tensor; permutation: Int32Array } {
  const width = bits.shape[1];
  const size = bits.rank === 2 ? (width === 729 ? 9 : width === 64 ? 4 : undefined) : undefined;
  if (size === undefined) throw new RangeError(`permuteSudokuBits: bits must be [n, 729] (9×9) or [n, 64] (4×4), got ${fmtShape(bits.shape)}`);
  const w = width!;
  let perm: Int32Array;
  if (isKey(permutation)) perm = sudokuPermutation(permutation, size);
  else if (permutation instanceof Int32Array) {
    if (permutation.length !== w) throw new RangeError(`permuteSudokuBits: permutation has ${permutation.length} entries, bits have ${w} positions`);
    const seen = new Uint8Array(w);
    for (const j of permutation) {
      if (!(j >= 0 && j < w) || seen[j]) throw new RangeError(`permuteSudokuBits: permutation must hold each of 0..${w - 1} once, got ${j} ${seen[j] ? 'twice' : 'out of range'}`);
      seen[j] = 1;
    }
    perm = permutation;
  } else throw new TypeError(`permuteSudokuBits: permutation must be a PRNG key or an Int32Array, got ${typeof permutation}`);
  const v = bits.dataSync();
  const n = bits.shape[0]!;
  const out = new Float64Array(v.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < w; j++) out[i * w + j] = v[i * w + perm[j]!]!;
  return { bits: tensor(out, { shape: bits.shape, dtype: bits.dtype }), permutation: perm };
}
