import { describe, expect, it } from 'vitest';
import { optimalHeavyBall, spectralRadius } from '../src/playground/momentum.js';
import { RACE_SCHEMA } from '../src/playground/race.js';
import { SUDOKU_PRESETS, SUDOKU_SCHEMA, isValidGrid } from '../src/playground/sudoku.js';
import { TRAIN_SCHEMA } from '../src/playground/train.js';
import { formatState, parseState } from '../src/playground/url-state.js';

/** ‖Aᵏ‖^(1/k) for heavy ball's 2×2 iteration matrix on one eigenvalue: Gelfand's formula, a second route to ρ. */
function gelfand(alpha: number, beta: number, lambda: number, k = 4000): number {
  let m = [1, 0, 0, 1];
  let logScale = 0;
  const a = [1 + beta - alpha * lambda, -beta, 1, 0];
  for (let i = 0; i < k; i++) {
    m = [m[0]! * a[0]! + m[1]! * a[2]!, m[0]! * a[1]! + m[1]! * a[3]!, m[2]! * a[0]! + m[3]! * a[2]!, m[2]! * a[1]! + m[3]! * a[3]!];
    const s = Math.max(...m.map(Math.abs));
    if (s === 0) return 0; // nilpotent (αλ = 1, β = 0): one step lands on the minimum
    m = m.map((v) => v / s);
    logScale += Math.log(s);
  }
  return Math.exp(logScale / k);
}

describe('momentum page: the spectral radius of heavy ball', () => {
  it('equals Gelfand’s limit of the iteration matrix powers, real and complex roots alike', () => {
    for (const [alpha, beta] of [[0.1, 0], [0.15, 0.5], [0.05, 0.95], [0.25, 0.5], [0.3, 0.1]] as const) {
      const expected = Math.max(gelfand(alpha, beta, 1), gelfand(alpha, beta, 10));
      expect(spectralRadius(alpha, beta, 1, 10)).toBeCloseTo(expected, 2);
    }
  });

  it('reaches Polyak’s (√κ − 1)/(√κ + 1) at the optimal parameters', () => {
    const best = optimalHeavyBall(1, 100);
    expect(best.rho).toBeCloseTo(9 / 11, 12);
    expect(spectralRadius(best.alpha, best.beta, 1, 100)).toBeCloseTo(9 / 11, 6);
  });

  it('is 1 − αm for gradient descent inside the descent lemma’s α < 2/M', () => {
    expect(spectralRadius(0.05, 0, 1, 10)).toBeCloseTo(0.95, 12);
    expect(spectralRadius(0.21, 0, 1, 10)).toBeGreaterThan(1);
  });
});

describe('URL state', () => {
  it('round-trips a state and lists what it could not use', () => {
    const { state, problems } = parseState(RACE_SCHEMA, '#surface=beale&steps=120&methods=adam,sgd&adam.lr=0.01&seed=4');
    expect(problems).toEqual([]);
    expect([state.surface, state.steps, state.methods, (state as Record<string, unknown>)['adam.lr'], state.seed]).toEqual(['beale', 120, ['adam', 'sgd'], 0.01, 4]);
    expect(parseState(RACE_SCHEMA, formatState(RACE_SCHEMA, state)).state).toEqual(state);
    const bad = parseState(RACE_SCHEMA, '#surface=moon&steps=1.5&methods=adam,nope&colour=red');
    expect(bad.problems).toEqual([
      'surface=moon is not one of rosenbrock, beale, valley, quadratic, two-minima; using rosenbrock',
      'steps=1.5 must be an integer; using 300',
      expect.stringContaining('methods has unknown entries nope'),
      expect.stringContaining('unknown key "colour"'),
    ]);
  });

  it('takes network widths as text, refusing what is not a list of widths', () => {
    expect(parseState(TRAIN_SCHEMA, '#widths=32,16,8').state.widths).toBe('32,16,8');
    for (const bad of ['16,', '0,4', '16;16', '1000', '1,2,3,4,5,6']) {
      const r = parseState(TRAIN_SCHEMA, `#widths=${bad}`);
      expect([r.state.widths, r.problems.length], bad).toEqual(['16,16', 1]);
    }
  });

  it('takes a sudoku board as 16 digits 0–4 (or empty), and every sudoku preset parses cleanly', () => {
    expect(parseState(SUDOKU_SCHEMA, '#board=1204300020000001&puzzle=7').state).toMatchObject({ board: '1204300020000001', puzzle: 7 });
    for (const bad of ['123', '12043000200000015', '1204300020000009', 'abcdabcdabcdabcd']) {
      const r = parseState(SUDOKU_SCHEMA, `#board=${bad}`);
      expect([r.state.board, r.problems.length], bad).toEqual(['', 1]);
    }
    for (const p of SUDOKU_PRESETS) expect(parseState(SUDOKU_SCHEMA, p.hash).problems, p.name).toEqual([]);
  });
});

describe('sudoku page: the rules check', () => {
  it('accepts a solved 4×4 grid and refuses one that breaks a box, a column or a row', () => {
    const solved = [1, 2, 3, 4, 3, 4, 1, 2, 2, 1, 4, 3, 4, 3, 2, 1];
    expect(isValidGrid(solved)).toBe(true);
    // Rows and columns stay permutations but the boxes break: columns 1 and 2 swapped.
    const boxes = solved.map((_, c) => solved[(c & ~3) | [0, 2, 1, 3][c & 3]!]!);
    expect(isValidGrid(boxes)).toBe(false);
    expect(isValidGrid(solved.map((v, c) => (c === 0 ? 2 : v)))).toBe(false);
    expect(isValidGrid(solved.map((v, c) => (c === 5 ? 0 : v)))).toBe(false);
  });
});
