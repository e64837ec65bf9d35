import { describe, expect, it } from 'vitest';
import type { DType } from '../../../dtype.js';
import { rng, run, t, vals } from './helpers.js';

// The strided copy's long-run paths (TypedArray.set for contiguous runs of ≥ 32 elements, fill
// for a broadcast run) and the per-dtype where loops, against values written out by index.
const DTYPES: DType[] = ['float64', 'float32', 'int32', 'bool'];
const roundTo = (dtype: DType, v: number) => (dtype === 'float32' ? Math.fround(v) : dtype === 'int32' ? Math.trunc(v * 100) | 0 : dtype === 'bool' ? +(v > 0) : v);

describe('cpu copy fast paths', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: broadcast, slice, concat and transpose of 40- and 70-element rows keep every value`, () => {
      const r = rng(DTYPES.indexOf(dtype) + 1);
      const row = Array.from({ length: 40 }, () => roundTo(dtype, r()));
      // broadcastTo [1, 40] → [3, 40]: a contiguous run copied three times.
      expect(vals(run('broadcastTo', [t(row, [1, 40], dtype)], { shape: [3, 40] }))).toEqual([...row, ...row, ...row]);
      // broadcastTo [3, 1] → [3, 70]: each row a broadcast run (fill).
      const col = row.slice(0, 3);
      expect(vals(run('broadcastTo', [t(col, [3, 1], dtype)], { shape: [3, 70] }))).toEqual(col.flatMap((v) => Array(70).fill(v)));
      // slice rows [1, 3) and columns [2, 38) of a 4×40 matrix: runs of 36 at an offset.
      const m = Array.from({ length: 160 }, () => roundTo(dtype, r()));
      const want = [1, 2].flatMap((i) => m.slice(i * 40 + 2, i * 40 + 38));
      expect(vals(run('slice', [t(m, [4, 40], dtype)], { begin: [1, 2], size: [2, 36] }))).toEqual(want);
      // concat along the last axis: runs of 40 then 40 into rows of 80.
      const cat = vals(run('concat', [t(m, [4, 40], dtype), t(m, [4, 40], dtype)], { axis: 1 }));
      expect(cat).toEqual([0, 1, 2, 3].flatMap((i) => [...m.slice(i * 40, i * 40 + 40), ...m.slice(i * 40, i * 40 + 40)]));
      // transpose [2, 40, 3] → [40, 2, 3] (inner runs of 3, the element loop) for contrast.
      const x = Array.from({ length: 240 }, () => roundTo(dtype, r()));
      const tr = vals(run('transpose', [t(x, [2, 40, 3], dtype)], { perm: [1, 0, 2] }));
      const wantT: number[] = [];
      for (let j = 0; j < 40; j++) for (let i = 0; i < 2; i++) for (let k = 0; k < 3; k++) wantT.push(x[(i * 40 + j) * 3 + k]!);
      expect(tr).toEqual(wantT);
    });

    it(`${dtype}: where picks elementwise on its own loop`, () => {
      const r = rng(10 + DTYPES.indexOf(dtype));
      const n = 100;
      const c = Array.from({ length: n }, () => +(r() > 0));
      const a = Array.from({ length: n }, () => roundTo(dtype, r()));
      const b = Array.from({ length: n }, () => roundTo(dtype, r()));
      const y = run('where', [t(c, [n], 'bool'), t(a, [n], dtype), t(b, [n], dtype)], {});
      expect(y.dtype).toBe(dtype);
      expect(vals(y)).toEqual(c.map((ci, i) => (ci ? a[i]! : b[i]!)));
    });
  }
});
