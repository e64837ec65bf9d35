import { type Primitive, PRIMITIVES, prng, trace } from '@ddopt/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CaseReport, checkCase, gradCases, sampleInputs } from '../src/testing/index.js';

/** The primitives a case's function actually binds. */
function boundPrimitives(c: (typeof gradCases)[number]): Set<Primitive> {
  const xs = sampleInputs(c, prng(0), 'float64');
  const fn = c.make(prng(1), 'float64');
  return new Set(trace(() => fn(...xs)).calls.map((call) => call.primitive));
}

function expectReport(report: CaseReport): void {
  for (const [check, r] of Object.entries(report)) {
    expect({ check, ok: r.ok, worst: r.worst }).toEqual({ check, ok: true, worst: r.worst });
  }
}

describe('gradient table: every primitive, first and second order, both modes, float64', () => {
  it('covers every differentiable primitive (as actually bound by the cases)', () => {
    const bound = new Set<Primitive>();
    for (const c of gradCases) {
      const seen = boundPrimitives(c);
      for (const p of c.covers) expect(seen.has(p), `${c.name} claims ${p}`).toBe(true);
      for (const p of seen) bound.add(p);
    }
    expect(PRIMITIVES.filter((p) => !bound.has(p))).toEqual([]);
  });

  for (const c of gradCases) {
    if (c.dtypes && !c.dtypes.includes('float64')) continue;
    it(c.name, () => {
      // Property-based: fast-check picks the input seeds, from a fixed seed of its own.
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          expectReport(checkCase(c, seed, 'float64'));
        }),
        { seed: 20251123, numRuns: 3 },
      );
    });
  }
});

describe('gradient table on cpu, float32, loosened tolerances', () => {
  for (const c of gradCases) {
    if (c.dtypes && !c.dtypes.includes('float32')) continue;
    it(c.name, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          expectReport(checkCase(c, seed, 'float32'));
        }),
        { seed: 7, numRuns: 1 },
      );
    });
  }
});
