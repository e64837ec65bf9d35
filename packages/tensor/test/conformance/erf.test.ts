// erf and erfc on cpu to the rounding of each dtype, against Python's math.erf / math.erfc
// (test/fixtures/erf.json): relative error ≤ 1e-15 in float64 (the worst seen is 2 ulps),
// ≤ 2⁻²⁴ plus that in float32.
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/creation.js';
import type { DType } from '../../src/dtype.js';
import { erf, erfc } from '../../src/ops/index.js';
import { ERF_COLUMN, ERF_FIXTURE, type ErfRow } from './erf-fixture.js';

const SMALLEST_NORMAL = { float32: 2 ** -126, float64: 2 ** -1022 };
const TOL = { float32: 2 ** -24 + 1e-15, float64: 1e-15 };

/** The worst relative error of `op` on `rows` (subnormal results count against the smallest normal). */
function worst(rows: ErfRow[], name: 'erf' | 'erfc', dtype: 'float32' | 'float64'): { x: number; err: number } {
  const xs = rows.map((r) => r[0]);
  const got = (name === 'erf' ? erf : erfc)(tensor(xs, { dtype, backend: 'cpu' })).dataSync();
  let w = { x: Number.NaN, err: 0 };
  rows.forEach((r, i) => {
    const e = r[ERF_COLUMN[name]];
    const err = Math.abs(got[i]! - e) / Math.max(Math.abs(e), SMALLEST_NORMAL[dtype]);
    if (err > w.err) w = { x: r[0], err };
  });
  return w;
}

describe('erf and erfc on cpu against Python math (relative)', () => {
  for (const name of ['erf', 'erfc'] as const) {
    it(`${name} float64, all recorded points`, () => {
      const w = worst([...ERF_FIXTURE.points, ...ERF_FIXTURE.float64Points], name, 'float64');
      expect(w.err, `worst at x = ${w.x}`).toBeLessThanOrEqual(TOL.float64);
    });
    it(`${name} float32, float32-exact points`, () => {
      const w = worst(ERF_FIXTURE.points, name, 'float32');
      expect(w.err, `worst at x = ${w.x}`).toBeLessThanOrEqual(TOL.float32);
    });
  }

  it('keeps the sign of zero and the limits', () => {
    const f64 = (v: number[]) => tensor(v, { dtype: 'float64' as DType });
    expect(Array.from(erf(f64([0, -0])).dataSync()).map((v) => Object.is(v, -0))).toEqual([false, true]);
    expect(Array.from(erf(f64([Infinity, -Infinity, 6, -6, Number.NaN])).dataSync())).toEqual([1, -1, 1, -1, Number.NaN]);
    expect(Array.from(erfc(f64([Infinity, -Infinity, 0, 27.3, Number.NaN])).dataSync())).toEqual([0, 2, 1, 0, Number.NaN]);
  });
});
