import { describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { cholesky } from './cholesky.js';
import { det, slogdet } from './det.js';
import { eigh } from './eigh.js';
import recorded from './fixtures/linalg_torch.json';
import { norm } from './norm.js';
import { pinv } from './pinv.js';
import { qr } from './qr.js';
import { inv, solve } from './solve.js';
import { svd } from './svd.js';
import { type Mat, asMat, expectClose } from './test-helpers.js';

// Float64 results recorded from PyTorch 1.13 by fixtures/record_linalg.py.
const f64 = (v: number[] | Mat) => tensor(v, { dtype: 'float64' });
const inp = recorded.inputs;
const parseOrd = (s: string): number | 'fro' | 'nuc' => (s === 'fro' || s === 'nuc' ? s : s === 'inf' ? Number.POSITIVE_INFINITY : s === '-inf' ? Number.NEGATIVE_INFINITY : Number(s));
const TOL = 1e-12;

describe('linalg matches PyTorch 1.13 (float64)', () => {
  it('solve, inv, det and slogdet', () => {
    expectClose(asMat(solve(f64(inp.square), f64(inp.rhs))), recorded.solve, TOL);
    expectClose(asMat(inv(f64(inp.square))), recorded.inv, TOL);
    expect(det(f64(inp.square)).item()).toBeCloseTo(recorded.det, 12);
    const s = slogdet(f64(inp.square));
    expect(s.sign.item()).toBe(recorded.slogdet.sign);
    expect(s.logAbsDet.item()).toBeCloseTo(recorded.slogdet.logAbsDet, 12);
  });

  it('cholesky, eigh values, singular values and pinv', () => {
    expectClose(asMat(cholesky(f64(inp.spd))), recorded.cholesky, TOL);
    expectClose(eigh(f64(inp.sym)).values.toArray() as number[], recorded.eighValues, TOL);
    expectClose(svd(f64(inp.m)).s.toArray() as number[], recorded.svdValues, TOL);
    expectClose(asMat(pinv(f64(inp.lowRank))), recorded.pinvLowRank, TOL);
  });

  it('qr up to the sign of each column of q (row of r)', () => {
    const { q, r } = qr(f64(inp.m));
    const Q = asMat(q);
    const R = asMat(r);
    // Householder QR is unique up to a ±1 per column; align ours with PyTorch's by r's diagonal.
    const flip = R.map((row, i) => Math.sign(row[i]!) * Math.sign(recorded.qr.r[i]![i]!));
    expectClose(
      Q.map((row) => row.map((v, j) => v * flip[j]!)),
      recorded.qr.q,
      TOL,
    );
    expectClose(
      R.map((row, i) => row.map((v) => v * flip[i]!)),
      recorded.qr.r,
      TOL,
    );
  });

  it.each(recorded.matrixNorms as [string, number][])('matrix norm ord %s', (ord, expected) => {
    expect(norm(f64(inp.m), { ord: parseOrd(ord) }).item()).toBeCloseTo(expected, 12);
  });

  it.each(recorded.vectorNorms as [string, number][])('vector norm ord %s', (ord, expected) => {
    expect(norm(f64(inp.vec), { ord: parseOrd(ord) }).item()).toBeCloseTo(expected, 12);
  });
});
