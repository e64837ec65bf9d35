import { PRIMITIVES } from '@ddopt/tensor';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { batchRules } from '../src/index.js';
import { type BatchColumn, type BatchReport, checkBatching, gradCases } from '../src/testing/index.js';

function expectReports(reports: BatchReport[]): void {
  for (const report of reports) {
    for (const [check, r] of Object.entries(report)) {
      if (r) expect({ check, ok: r.ok, worst: r.worst }).toEqual({ check, ok: true, worst: r.worst });
    }
  }
}

const COLUMNS: BatchColumn[] = [0, 1, null];

describe('batching table: every case under vmap (inAxes 0, 1, null) equals the loop over the batch, cpu float64', () => {
  // Every case must run on its rules: the loop fallback (which warns) would hide a missing one.
  const warn = vi.spyOn(console, 'warn');
  beforeAll(() => warn.mockClear());
  afterAll(() => {
    expect(warn.mock.calls.filter(([m]) => /no batching rule/.test(String(m)))).toEqual([]);
    warn.mockRestore();
  });

  it('every primitive has a batching rule', () => {
    expect(PRIMITIVES.filter((p) => typeof (batchRules as Record<string, unknown>)[p] !== 'function')).toEqual([]);
  });

  for (const c of gradCases) {
    if (c.dtypes && !c.dtypes.includes('float64')) continue;
    for (const column of COLUMNS) {
      it(`${c.name} — inAxes ${column}`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
            expectReports(checkBatching(c, seed, column, 'float64'));
          }),
          { seed: 20251124, numRuns: 1 },
        );
      });
    }
  }
});
