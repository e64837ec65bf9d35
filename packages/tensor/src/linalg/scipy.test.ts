// The TypeScript linalg kernels against NumPy/SciPy (LAPACK) float64 results recorded by
// fixtures/record_linalg_scipy.py on random, ill-conditioned, rank-deficient and batched inputs.
// Backward-stable quantities (singular values, eigenvalues, residuals) are bounded in units of
// n·ε·‖a‖; forward errors of ill-conditioned problems in units of κ·n·ε.
import { describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { cholesky } from './cholesky.js';
import { slogdet } from './det.js';
import { eigh } from './eigh.js';
import recorded from './fixtures/linalg_scipy.json';
import { pinv } from './pinv.js';
import { qr } from './qr.js';
import { inv, solve } from './solve.js';
import { svd } from './svd.js';

type Nested = number | Nested[];
const EPS = 2 ** -52;
const f64 = (v: Nested) => tensor(v as number[], { dtype: 'float64' });
const flat = (v: Nested | { dataSync(): ArrayLike<number> }): number[] => (typeof v === 'object' && 'dataSync' in v ? Array.from(v.dataSync()) : ([v].flat(4) as number[]));
const fro = (a: number[]) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
const maxDiff = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
};
/** ‖a − b‖_F / ‖b‖_F. */
const relDiff = (a: number[], b: number[]) => fro(a.map((v, i) => v - b[i]!)) / fro(b);
const dims = (a: Nested[]): [number, number] => [a.length, (a[0] as Nested[]).length];
const report = (name: string, value: number, bound: number) => {
  expect(value, name).toBeLessThan(bound);
};

describe('linalg matches NumPy/SciPy (LAPACK, float64)', () => {
  it('solve and inv: random (1e-12 relative) and ill-conditioned κ = 1e10 (within 0.01·κ·n·ε relative)', () => {
    const { a, b, illA } = recorded.lu;
    const n = a.length;
    report('solve', relDiff(flat(solve(f64(a), f64(b))), flat(recorded.lu.solve)), 1e-12);
    report('inv', relDiff(flat(inv(f64(a))), flat(recorded.lu.inv)), 1e-12);
    const s = slogdet(f64(a));
    expect(s.sign.item()).toBe(recorded.lu.slogdet[0]);
    expect(Math.abs(s.logAbsDet.item() - recorded.lu.slogdet[1]!)).toBeLessThan(1e-12 * Math.abs(recorded.lu.slogdet[1]!));
    const kappa = recorded.lu.illCond;
    report('ill solve', relDiff(flat(solve(f64(illA), f64(b))), flat(recorded.lu.illSolve)) / (kappa * n * EPS), 0.01);
  });

  it('cholesky of an SPD matrix with eigenvalues 1 … 1e-8: l within 1e-4·κ·n·ε relative of LAPACK', () => {
    const { a, l } = recorded.cholesky;
    const n = a.length;
    report('cholesky', relDiff(flat(cholesky(f64(a))), flat(l)) / (1e8 * n * EPS), 1e-4);
  });

  it('eigh values: random symmetric and a graded spectrum (1 … 1e-12, a 6-fold 0.5, negatives) within 0.5·n·ε·‖a‖', () => {
    for (const [a, ref] of [
      [recorded.eigh.a, recorded.eigh.values],
      [recorded.eigh.graded, recorded.eigh.gradedValues],
    ] as const) {
      const n = a.length;
      report('eigh values', maxDiff(flat(eigh(f64(a)).values), ref) / (n * EPS * fro(flat(a))), 0.5);
    }
  });

  it('svd values: tall ill-conditioned (σ 1 … 1e-12), rank 8 of 50×30, wide 20×32 within 0.5·n·ε·‖a‖', () => {
    const { svd: r } = recorded;
    for (const [a, ref] of [
      [r.tallIll, r.tallIllS],
      [r.rankDef, r.rankDefS],
      [r.wide, r.wideS],
    ] as const) {
      const n = Math.max(...dims(a));
      report('svd values', maxDiff(flat(svd(f64(a)).s), ref) / (n * EPS * fro(flat(a))), 0.5);
    }
  });

  it('pinv: rank-deficient and wide within 1e-12 relative; ill-conditioned with rcond 1e-8 within 0.01·κ·n·ε (κ = 1e8 of the kept part)', () => {
    const { svd: r } = recorded;
    report('pinv rank-deficient', relDiff(flat(pinv(f64(r.rankDef))), flat(r.rankDefPinv)), 1e-12);
    report('pinv wide', relDiff(flat(pinv(f64(r.wide))), flat(r.widePinv)), 1e-12);
    const n = Math.max(...dims(r.tallIll));
    report('pinv ill', relDiff(flat(pinv(f64(r.tallIll), { rcond: 1e-8 })), flat(r.tallIllPinv)) / (1e8 * n * EPS), 0.01);
  });

  it('pinv of a full-rank tall matrix with κ = 1e10 (no value under the default cutoff: r⁻¹·qᵀ) within 0.01·κ·n·ε relative', () => {
    const { a, pinv: ref, cond } = recorded.pinvFull;
    const n = Math.max(...dims(a));
    report('pinv full rank', relDiff(flat(pinv(f64(a))), flat(ref)) / (cond * n * EPS), 0.01);
  });

  it('qr r (signs as LAPACK) and a batch [3, 7, 5]: r and singular values within 1e-13 relative', () => {
    report('qr r', relDiff(flat(qr(f64(recorded.qr.a)).r), flat(recorded.qr.r)), 1e-13);
    const batch = f64(recorded.qr.batch);
    report('batched r', relDiff(flat(qr(batch).r), flat(recorded.qr.batchR)), 1e-13);
    report('batched s', relDiff(flat(svd(batch).s), flat(recorded.qr.batchS)), 1e-13);
  });
});
