import { describe, expect, it } from 'vitest';
import { satnetSudoku } from '../src/003-discrete/satnet-sudoku.js';
import type { ExperimentResult } from '../src/index.js';
import { expectDrawable, runQuick } from './run-quick.js';

describe('satnet-sudoku (report 003, Figure 2) — quick: 4×4 boards', () => {
  let result: ExperimentResult;
  it('runs its quick configuration', async () => {
    result = await runQuick(satnetSudoku);
    expect(result.comparison.rows).toHaveLength(9);
  }, 600_000);

  it('SATNet learns 4×4 sudoku from bits: ≥ 0.9 whole-board test accuracy (what the method reaches at that size, per the issue)', () => {
    expect(result.headline.testBoardAccuracy_quick).toBeGreaterThanOrEqual(0.9);
  });

  it('permuting the bits leaves SATNet able to learn (it sees no locality to lose): ≥ 0.9 too', () => {
    expect(result.headline.testBoardAccuracy_permuted).toBeGreaterThanOrEqual(0.9);
  });

  it('on permuted bits the ConvNet has no locality to use and stays far below SATNet', () => {
    expect((result.headline.testBoardAccuracy_permuted as number) - (result.headline.convNetTestAccuracy_permuted as number)).toBeGreaterThanOrEqual(0.5);
  });

  it('draws its figures and survives JSON', () => {
    expectDrawable(result);
  });
});
