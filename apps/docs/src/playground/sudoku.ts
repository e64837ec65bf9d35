// Playground 6: sudoku with SATNet. A 4×4 SATNet (@ddopt/diff-solvers) trained in the page on
// @ddopt/datasets' boards with the satnet-sudoku experiment's own training step
// (@ddopt/experiments' satnetSudokuTrainer), then solving boards the visitor edits: a click on a
// cell cycles its digit (blank → 1 → … → 4 → blank), the net fills the blanks, and each filled
// cell is marked right or wrong against the board's true solution.
import { countSudokuSolutions, sudoku, sudokuToBits } from '@ddopt/datasets';
import { satnetRound } from '@ddopt/diff-solvers';
import { type SatnetSudokuTrainer, satnetSudokuTrainer, sudokuDigits, sudokuInputMask } from '@ddopt/experiments';
import { foldIn, type Key, prng, setBackend, slice, splitKey, type Tensor, tensor } from '@ddopt/tensor';
import * as Plot from '@observablehq/plot';
import { curvePlot } from './plots.js';
import { button, fmt, h, nextFrame, problemsBox, select, slider } from './ui.js';
import { pageState } from './page-state.js';
import type { Schema, StateOf } from './url-state.js';

const SIZE = 4;
const CELLS = SIZE * SIZE;
const BITS = SIZE ** 3;
/** Held-out boards: the visitor picks one with `puzzle`; the live cell accuracy is measured on the first EVAL of them. */
const TEST_BOARDS = 100;
const EVAL = 50;

export const SUDOKU_SCHEMA = {
  m: { type: 'number', default: 64, min: 1, max: 512, int: true },
  aux: { type: 'number', default: 32, min: 0, max: 256, int: true },
  k: { type: 'number', default: 16, min: 2, max: 64, int: true },
  lr: { type: 'number', default: 0.02, min: 1e-5, max: 1 },
  batch: { type: 'number', default: 20, min: 1, max: 200, int: true },
  steps: { type: 'number', default: 40, min: 1, max: 2000, int: true },
  boards: { type: 'number', default: 200, min: 1, max: 2000, int: true },
  puzzle: { type: 'number', default: 0, min: 0, max: TEST_BOARDS - 1, int: true },
  board: { type: 'text', default: '', pattern: /^([0-4]{16})?$/, hint: '16 digits 0–4, row by row (0 = blank), or empty for the data set’s puzzle' },
  decode: { type: 'enum', default: 'argmax', values: ['argmax', 'round'] },
  seed: { type: 'number', default: 0, min: 0, int: true },
} satisfies Schema;
type SudokuState = StateOf<typeof SUDOKU_SCHEMA>;

/** The fields that change what is trained (the others only change the board being solved). */
const TRAINING_KEYS = ['m', 'aux', 'k', 'lr', 'batch', 'steps', 'boards', 'seed'] as const;

export const SUDOKU_PRESETS = [
  { name: 'The experiment’s quick setting: m 64, aux 32, Adam 0.02, 40 steps', hash: '#m=64&aux=32&k=16&lr=0.02&batch=20&steps=40&boards=200' },
  { name: 'Gentler and longer: Adam 0.005, 120 steps, 400 boards', hash: '#m=64&aux=32&k=16&lr=0.005&batch=20&steps=120&boards=400' },
  { name: 'Too few clauses: m 4, no auxiliary variables', hash: '#m=4&aux=0&k=16&lr=0.02&batch=20&steps=60&boards=200' },
  { name: 'An empty board (many solutions: is the net’s one valid?)', hash: '#m=64&aux=32&k=16&lr=0.02&batch=20&steps=40&boards=200&board=0000000000000000' },
  { name: 'Hyperplane rounding instead of argmax', hash: '#m=64&aux=32&k=16&lr=0.02&batch=20&steps=40&boards=200&decode=round' },
];

/** The 4×4 grid's rows, columns and 2×2 boxes, each as its 4 cell indices. */
const UNITS: number[][] = (() => {
  const units: number[][] = [];
  for (let i = 0; i < SIZE; i++) {
    units.push(Array.from({ length: SIZE }, (_, j) => i * SIZE + j));
    units.push(Array.from({ length: SIZE }, (_, j) => j * SIZE + i));
  }
  for (let br = 0; br < SIZE; br += 2) for (let bc = 0; bc < SIZE; bc += 2) units.push([0, 1, SIZE, SIZE + 1].map((o) => br * SIZE + bc + o));
  return units;
})();

/** Whether a full grid (1..4 in every cell) satisfies every row, column and box. */
export function isValidGrid(grid: ArrayLike<number>): boolean {
  return UNITS.every((u) => new Set(u.map((c) => grid[c])).size === SIZE && u.every((c) => grid[c]! >= 1 && grid[c]! <= SIZE));
}

/** The board's 16 digits from its URL form ('' = the data set's puzzle). */
export function parseBoard(text: string): number[] {
  return Array.from(text, Number);
}

interface Data {
  bits: Tensor;
  labels: Tensor;
  mask: Tensor;
  puzzles: Int32Array;
  solutions: Int32Array;
  train: number;
}

function makeData(s: SudokuState, key: Key): Data {
  const all = sudoku({ n: s.boards + TEST_BOARDS, key, size: SIZE });
  const bits = sudokuToBits(all.puzzles);
  return { bits, labels: sudokuToBits(all.solutions), mask: sudokuInputMask(bits, SIZE), puzzles: all.puzzles.dataSync() as Int32Array, solutions: all.solutions.dataSync() as Int32Array, train: s.boards };
}

const rows = (t: Tensor, start: number, count: number) => slice(t, [start, 0], [count, t.shape[1]!]);

/** What the page knows about the board it shows: its givens, and its solution when there is exactly one. */
interface Truth {
  givens: number[];
  solution?: number[];
  /** Completions of the givens (0, 1, or 2 meaning "two or more"). */
  count: number;
  fromDataset: boolean;
}

function truthOf(s: SudokuState, data: Data): Truth {
  const start = (data.train + s.puzzle) * CELLS;
  if (s.board === '') {
    return { givens: Array.from(data.puzzles.subarray(start, start + CELLS)), solution: Array.from(data.solutions.subarray(start, start + CELLS)), count: 1, fromDataset: true };
  }
  const givens = parseBoard(s.board);
  const sol = new Int8Array(CELLS);
  const count = countSudokuSolutions(givens, 2, sol);
  return { givens, solution: count === 1 ? Array.from(sol) : undefined, count, fromDataset: false };
}

/** The net's digits for one board: argmax of the relaxed bits, or SATNet's hyperplane rounding of its vectors. */
function solveBoard(trainer: SatnetSudokuTrainer, givens: number[], decode: string, key: Key): number[] {
  const x = sudokuToBits(tensor(Int32Array.from(givens), { shape: [1, CELLS], dtype: 'int32' }));
  const batch = { x, isInput: sudokuInputMask(x, SIZE) };
  if (decode === 'round') {
    const [kSolve, kRound] = splitKey(key, 2) as [Key, Key];
    const solution = trainer.layer.solve(trainer.params.sat, { z: batch.x, isInput: batch.isInput }, { key: kSolve });
    return Array.from(sudokuDigits(satnetRound(solution, kRound).dataSync(), SIZE));
  }
  return Array.from(sudokuDigits(trainer.predict(batch, key).dataSync(), SIZE));
}

/** Mounts the SATNet sudoku page into `root`; returns its cleanup. */
export function mountSudoku(root: HTMLElement): () => void {
  const trainingKey = (s: SudokuState) => TRAINING_KEYS.map((k) => s[k]).join('|');
  // A preset always retrains; a control or an edited hash retrains only when a training field changed.
  const page = pageState(SUDOKU_SCHEMA, {
    onChange: (next, prev, source) => {
      build();
      if (source === 'preset' || trainingKey(next) !== trainingKey(prev) || !trained) void run();
      else draw();
    },
  });
  let trained: { trainer: SatnetSudokuTrainer; data: Data; key: Key } | undefined;
  const controls = h('div', { class: 'pg-controls' });
  const boardControls = h('div', { class: 'pg-controls' });
  const grid = h('div', { class: 'pg-sudoku', 'data-testid': 'sudoku-board', role: 'grid' });
  const verdict = h('p', { class: 'pg-status', 'data-testid': 'sudoku-verdict' });
  const curve = h('div', { class: 'pg-figure', 'data-testid': 'sudoku-loss' });
  const accCurve = h('div', { class: 'pg-figure', 'data-testid': 'sudoku-accuracy' });
  const readout = h('p', { class: 'pg-status', 'data-testid': 'sudoku-readout' });
  root.append(problemsBox(page.problems), controls, h('div', { class: 'pg-row pg-sudoku-row' }, grid, h('div', { class: 'pg-sudoku-side' }, verdict, boardControls)), h('div', { class: 'pg-row' }, curve, accCurve), readout);

  function build() {
    const state = page.get();
    controls.replaceChildren(
      page.presetSelect(SUDOKU_PRESETS, 'sudoku-preset'),
      slider('clauses m', { min: 1, max: 200, step: 1, value: state.m, testid: 'sudoku-m' }, (v) => page.set({ m: v })),
      slider('auxiliary', { min: 0, max: 100, step: 1, value: state.aux, testid: 'sudoku-aux' }, (v) => page.set({ aux: v })),
      slider('vector dim k', { min: 2, max: 32, step: 1, value: state.k }, (v) => page.set({ k: v })),
      slider('learning rate', { min: 1e-4, max: 0.2, step: 0.001, value: state.lr, log: true, testid: 'sudoku-lr' }, (v) => page.set({ lr: v })),
      slider('batch', { min: 1, max: 100, step: 1, value: state.batch }, (v) => page.set({ batch: v })),
      slider('steps', { min: 5, max: 500, step: 5, value: state.steps, testid: 'sudoku-steps' }, (v) => page.set({ steps: v })),
      slider('training boards', { min: 20, max: 1000, step: 10, value: state.boards }, (v) => page.set({ boards: v })),
      slider('seed', { min: 0, max: 99, step: 1, value: state.seed }, (v) => page.set({ seed: v })),
    );
    boardControls.replaceChildren(
      slider('held-out puzzle', { min: 0, max: TEST_BOARDS - 1, step: 1, value: state.puzzle, testid: 'sudoku-puzzle' }, (v) => page.set({ puzzle: v, board: '' })),
      select('decode', [{ value: 'argmax', text: 'argmax of the relaxed bits' }, { value: 'round', text: 'hyperplane rounding (satnetRound)' }], state.decode, (v) => page.set({ decode: v }), 'sudoku-decode'),
      button('clear the board', () => page.set({ board: '0'.repeat(CELLS) }), 'sudoku-clear'),
      button('back to the data set’s puzzle', () => page.set({ board: '' }), 'sudoku-reset'),
    );
  }

  /** The board shown: givens as the visitor (or the data set) set them, blanks filled by the net when it is trained. */
  function draw() {
    const state = page.get();
    if (!trained) {
      grid.replaceChildren(h('p', {}, 'making boards…'));
      return;
    }
    const truth = truthOf(state, trained.data);
    const guess = solveBoard(trained.trainer, truth.givens, state.decode, foldIn(trained.key, state.puzzle));
    const full = truth.givens.map((g, c) => (g > 0 ? g : guess[c]!));
    let right = 0;
    let blanks = 0;
    const cells = truth.givens.map((g, c) => {
      const given = g > 0;
      const correct = !given && truth.solution ? guess[c] === truth.solution[c] : undefined;
      if (!given) {
        blanks++;
        if (correct) right++;
      }
      const cls = given ? 'given' : correct === undefined ? 'filled' : correct ? 'right' : 'wrong';
      const title = given ? 'a given digit: click for the next digit (4 → blank)' : `filled by SATNet${correct === false ? `; the solution has ${truth.solution![c]}` : ''}: click to give a digit here`;
      const cell = h('button', { type: 'button', class: `pg-cell pg-cell-${cls}`, 'data-testid': `cell-${c}`, 'data-cell': c, 'data-kind': cls, 'data-given': g, 'data-value': full[c], title, 'aria-label': `row ${Math.floor(c / SIZE) + 1}, column ${(c % SIZE) + 1}: ${full[c]} (${cls})` }, String(full[c]));
      if (c % SIZE === 1) cell.classList.add('pg-cell-box-right');
      if (Math.floor(c / SIZE) === 1) cell.classList.add('pg-cell-box-bottom');
      cell.addEventListener('click', () => edit(c, (g + 1) % (SIZE + 1)));
      cell.addEventListener('keydown', (e) => {
        const d = e.key === 'Backspace' || e.key === 'Delete' ? 0 : /^[0-4]$/.test(e.key) ? Number(e.key) : undefined;
        if (d !== undefined) {
          e.preventDefault();
          edit(c, d);
        }
      });
      return cell;
    });
    grid.replaceChildren(...cells);
    const valid = isValidGrid(full);
    const source = truth.fromDataset ? `held-out puzzle ${state.puzzle} of the data set` : 'your board';
    let text: string;
    if (truth.count === 0) text = `${source} has no solution (its givens clash or leave no completion); SATNet’s grid is ${valid ? 'valid anyway' : 'not a valid sudoku'}.`;
    else if (truth.solution) text = `${source}: SATNet got ${right} of ${blanks} blank cells right${right === blanks ? ' — solved' : ''} (green right, red wrong against the unique solution).`;
    else text = `${source} has more than one solution, so no cell has one right answer: SATNet’s grid is ${valid ? 'a valid sudoku that keeps your digits' : 'not a valid sudoku'}.`;
    verdict.textContent = text;
    Object.assign(verdict.dataset, { right: String(right), blanks: String(blanks), valid: String(valid), solutions: String(truth.count), filled: String(full.filter((v) => v >= 1 && v <= SIZE).length) });
  }

  /** Sets a cell's digit (0 clears it): the board becomes the visitor's and is solved again, without retraining. */
  function edit(cell: number, digit: number) {
    if (!trained) return;
    const givens = truthOf(page.get(), trained.data).givens;
    givens[cell] = digit;
    page.set({ board: givens.join('') }, { quiet: true });
    draw();
    (grid.querySelector(`[data-cell="${cell}"]`) as HTMLElement | null)?.focus();
  }

  async function run() {
    const live = page.begin();
    root.dataset.status = 'running';
    readout.textContent = 'making boards…';
    await setBackend('cpu');
    const s = page.get();
    const [kData, kInit, kSteps, kSolve] = splitKey(prng(s.seed), 4) as [Key, Key, Key, Key];
    const data = makeData(s, kData);
    const trainer = satnetSudokuTrainer({ size: SIZE, m: s.m, aux: s.aux, k: s.k, lr: s.lr, key: kInit, seed: s.seed });
    trained = { trainer, data, key: kSolve };
    const test = { x: rows(data.bits, data.train, EVAL), isInput: rows(data.mask, data.train, EVAL) };
    const losses: number[] = [];
    const accuracy: number[] = [];
    const evalSteps: number[] = [];
    const cellAccuracy = (step: number) => {
      const digits = sudokuDigits(trainer.predict(test, foldIn(kSteps, 1e6 + step)).dataSync(), SIZE);
      let right = 0;
      let blanks = 0;
      for (let i = 0; i < EVAL * CELLS; i++) {
        const j = data.train * CELLS + i;
        if (data.puzzles[j] !== 0) continue;
        blanks++;
        if (digits[i] === data.solutions[j]) right++;
      }
      return right / blanks;
    };
    const show = (t: number) => {
      curve.replaceChildren(curvePlot([{ name: 'training loss', values: losses }], { y: 'training loss (bits’ cross-entropy)', type: 'log', width: 300, height: 240 }));
      const points = evalSteps.map((step, i) => ({ step, accuracy: accuracy[i]! }));
      accCurve.replaceChildren(
        Plot.plot({
          width: 300,
          height: 240,
          x: { label: 'step', domain: [0, Math.max(t, 1)] },
          y: { label: `blank cells right (${EVAL} held-out boards)`, domain: [0, 1], grid: true },
          style: { background: 'white' },
          marks: [Plot.ruleY([1 / SIZE], { stroke: '#999', strokeDasharray: '4 3' }), Plot.line(points, { x: 'step', y: 'accuracy', stroke: '#2e7d32' }), Plot.dot(points, { x: 'step', y: 'accuracy', fill: '#2e7d32', r: 2 })],
        }),
      );
      draw();
    };
    accuracy.push(cellAccuracy(0));
    evalSteps.push(0);
    draw();
    const perEpoch = Math.max(1, Math.floor(data.train / s.batch));
    const batchSize = Math.min(s.batch, data.train);
    // About 20 measurements of the held-out cell accuracy over the run, each one redrawing the page.
    const evalEvery = Math.max(1, Math.round(s.steps / 20));
    const t0 = performance.now();
    for (let t = 0; t < s.steps; t++) {
      const start = (t % perEpoch) * batchSize;
      const loss = trainer.step({ x: rows(data.bits, start, batchSize), isInput: rows(data.mask, start, batchSize), labels: rows(data.labels, start, batchSize) }, foldIn(kSteps, t));
      losses.push(loss);
      const last = t === s.steps - 1;
      if ((t + 1) % evalEvery === 0 || last) {
        accuracy.push(cellAccuracy(t + 1));
        evalSteps.push(t + 1);
        show(t + 1);
        readout.textContent = `step ${t + 1} of ${s.steps}: loss ${fmt(loss)}, cell accuracy ${fmt(accuracy.at(-1)!)} on ${EVAL} held-out boards`;
        await nextFrame();
        if (!live()) return;
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    readout.textContent = `SATNet (n = ${BITS} bits, m = ${s.m}, aux = ${s.aux}, k = ${s.k}), Adam ${s.lr}, batch ${batchSize}: loss ${fmt(losses[0]!)} → ${fmt(losses.at(-1)!)} in ${s.steps} steps (${fmt(seconds)} s); cell accuracy on ${EVAL} held-out boards ${fmt(accuracy[0]!)} → ${fmt(accuracy.at(-1)!)}.`;
    Object.assign(readout.dataset, { first: String(losses[0]), last: String(losses.at(-1)), cellAccuracy: String(accuracy.at(-1)), seconds: String(seconds) });
    root.dataset.status = 'done';
  }

  build();
  void run();
  return page.dispose;
}
