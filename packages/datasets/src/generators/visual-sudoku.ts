import { type Key, type Tensor, tensor } from '@ddopt/tensor';
import { fmtShape } from '@ddopt/tensor/validate';
import type { Dataset } from '../types.js';
import { HostRandom } from './host-random.js';

/**
 * SATNet's visual sudoku: every given cell of int32 puzzles [n, 81] (or [n, 16] for 4×4; 0 =
 * blank) becomes a random image of its digit drawn from `digits` (e.g. `mnist(...).test`, x
 * [m, pixels], y int32 labels); blank cells are all-zero images. Returns x [n, cells, pixels] in
 * `digits.x`'s dtype.
 */
export function visualSudoku(puzzles: Tensor, digits: Dataset, key: Key): Tensor {
  if (puzzles.dtype !== 'int32' || puzzles.rank !== 2 || (puzzles.shape[1] !== 81 && puzzles.shape[1] !== 16)) {
    throw new TypeError(`visualSudoku: puzzles must be int32 [n, 81] (9×9) or [n, 16] (4×4), got ${puzzles.dtype} ${fmtShape(puzzles.shape)}`);
  }
  const cells = puzzles.shape[1]!;
  if (digits.x.rank !== 2 || digits.y.dtype !== 'int32' || digits.y.shape[0] !== digits.x.shape[0]) {
    throw new TypeError(`visualSudoku: digits must have x [m, pixels] and int32 y [m], got x ${fmtShape(digits.x.shape)} and y ${digits.y.dtype} ${fmtShape(digits.y.shape)}`);
  }
  const pixels = digits.x.shape[1]!;
  const labels = digits.y.dataSync();
  const byDigit: number[][] = Array.from({ length: 10 }, () => []);
  labels.forEach((d, i) => {
    if (d >= 0 && d <= 9) byDigit[d]!.push(i);
  });
  const images = digits.x.dataSync();
  const grid = puzzles.dataSync();
  const rng = new HostRandom(key);
  const out = new Float64Array(grid.length * pixels);
  for (let c = 0; c < grid.length; c++) {
    const d = grid[c]!;
    if (d === 0) continue;
    const pool = byDigit[d];
    if (!pool || pool.length === 0) throw new RangeError(`visualSudoku: no image of digit ${d} in digits (needed at puzzle ${Math.floor(c / cells)}, cell ${c % cells})`);
    const src = pool[rng.below(pool.length)]! * pixels;
    for (let p = 0; p < pixels; p++) out[c * pixels + p] = images[src + p]!;
  }
  return tensor(out, { shape: [puzzles.shape[0]!, cells, pixels], dtype: digits.x.dtype });
}
