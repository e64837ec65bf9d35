import { type Key, type Tensor, splitKey, tensor } from '@ddopt/tensor';
import { assertInt, fmtShape } from '@ddopt/tensor/validate';
import { hostPermutation } from '../batches.js';
import { HostRandom } from './host-random.js';

const CELLS = 81;
const box = (cell: number) => 3 * Math.floor(cell / 27) + Math.floor((cell % 9) / 3);

/**
 * Counts the completions of a 9×9 grid (0 = blank, 1..9 given) up to `limit`, by backtracking on
 * the cell with the fewest candidates. Writes the first completion found into `solution` when
 * given; `rng` randomizes the order digits are tried (used to draw random full grids).
 */
export function countSudokuSolutions(grid: ArrayLike<number>, limit = 2, solution?: Int8Array, rng?: HostRandom): number {
  if (grid.length !== CELLS) throw new RangeError(`countSudokuSolutions: grid must have 81 cells, got ${grid.length}`);
  const g = Int8Array.from(grid);
  const rows = new Int32Array(9);
  const cols = new Int32Array(9);
  const boxes = new Int32Array(9);
  for (let c = 0; c < CELLS; c++) {
    const d = g[c]!;
    if (d === 0) continue;
    if (!(d >= 1 && d <= 9)) throw new RangeError(`countSudokuSolutions: cell ${c} holds ${d}, expected 0..9`);
    const bit = 1 << d;
    const r = Math.floor(c / 9);
    if ((rows[r]! | cols[c % 9]! | boxes[box(c)]!) & bit) return 0; // the givens already clash
    rows[r]! |= bit;
    cols[c % 9]! |= bit;
    boxes[box(c)]! |= bit;
  }
  let found = 0;
  const search = (): boolean => {
    let best = -1;
    let bestFree = 0;
    let bestCount = 10;
    for (let c = 0; c < CELLS; c++) {
      if (g[c] !== 0) continue;
      const free = ~(rows[Math.floor(c / 9)]! | cols[c % 9]! | boxes[box(c)]!) & 0x3fe;
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
    for (let d = 1; d <= 9; d++) if (bestFree & (1 << d)) digits.push(d);
    if (rng) rng.shuffle(digits);
    const r = Math.floor(best / 9);
    for (const d of digits) {
      const bit = 1 << d;
      g[best] = d;
      rows[r]! |= bit;
      cols[best % 9]! |= bit;
      boxes[box(best)]! |= bit;
      const stop = search();
      rows[r]! &= ~bit;
      cols[best % 9]! &= ~bit;
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
  /** Given cells per puzzle (default 36, close to the 36.2 average of SATNet's data set). */
  givens?: number;
  /** Remove a cell only while the puzzle keeps a unique solution (default true). */
  unique?: boolean;
}

/**
 * Seeded 9×9 sudoku: random full grids (backtracking with random digit order) with cells
 * removed in random order down to `givens`, keeping the solution unique unless `unique: false`.
 * Returns int32 puzzles [n, 81] (0 = blank) and solutions [n, 81] (1..9), row-major.
 */
export function sudoku(options: SudokuOptions): { puzzles: Tensor; solutions: Tensor } {
  const n = assertInt('sudoku', 'n', options?.n, 1);
  const givens = assertInt('sudoku', 'givens', options.givens ?? 36, 17);
  if (givens > CELLS) throw new RangeError(`sudoku: givens must be at most 81, got ${givens}`);
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
 * SATNet's bit encoding: grids int32 [n, 81] → float [n, 729] with bit 9·cell + (digit − 1) set
 * for each filled cell (blank cells are all zeros).
 */
export function sudokuToBits(grids: Tensor, options: { dtype?: 'float32' | 'float64' } = {}): Tensor {
  if (grids.dtype !== 'int32' || grids.rank !== 2 || grids.shape[1] !== CELLS) throw new TypeError(`sudokuToBits: grids must be int32 [n, 81], got ${grids.dtype} ${fmtShape(grids.shape)}`);
  const v = grids.dataSync();
  const out = new Float64Array(v.length * 9);
  for (let i = 0; i < v.length; i++) {
    const d = v[i]!;
    if (d < 0 || d > 9) throw new RangeError(`sudokuToBits: cell value ${d} at flat index ${i} is outside 0..9`);
    if (d > 0) out[i * 9 + d - 1] = 1;
  }
  return tensor(out, { shape: [grids.shape[0]!, CELLS * 9], dtype: options.dtype ?? 'float32' });
}

/**
 * SATNet's "permuted sudoku": one fixed random permutation (from `key`) applied to the 729 bit
 * positions of every sample, which hides the board's structure from the model. Returns the
 * permuted bits and the permutation (out[:, j] = bits[:, perm[j]]).
 */
export function permuteSudokuBits(bits: Tensor, key: Key): { bits: Tensor; permutation: Int32Array } {
  if (bits.rank !== 2 || bits.shape[1] !== CELLS * 9) throw new RangeError(`permuteSudokuBits: bits must be [n, 729], got ${fmtShape(bits.shape)}`);
  const perm = hostPermutation(key, CELLS * 9);
  const v = bits.dataSync();
  const n = bits.shape[0]!;
  const out = new Float64Array(v.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < CELLS * 9; j++) out[i * 729 + j] = v[i * 729 + perm[j]!]!;
  return { bits: tensor(out, { shape: bits.shape, dtype: bits.dtype }), permutation: perm };
}
