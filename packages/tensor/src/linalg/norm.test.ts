import { describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { trace } from '../trace.js';
import { prng } from '../random/key.js';
import { randn } from '../random/samplers.js';
import { norm } from './norm.js';
import { svd } from './svd.js';
import { type Mat, asMat, expectClose } from './test-helpers.js';

const f64 = (v: number[] | Mat | Mat[]) => tensor(v as number[], { dtype: 'float64' });

describe('vector norms', () => {
  const v = [3, -4, 0, 12];
  it.each([
    [undefined, 13],
    [2, 13],
    [1, 19],
    [Number.POSITIVE_INFINITY, 12],
    [Number.NEGATIVE_INFINITY, 0],
    [0, 3],
    [3, Math.cbrt(27 + 64 + 1728)],
    [0.5, (Math.sqrt(3) + 2 + Math.sqrt(12)) ** 2],
  ])('ord %s', (ord, expected) => {
    const y = norm(f64(v), { ord });
    expect(y.shape).toEqual([]);
    expect(y.dtype).toBe('float64');
    expect(y.item()).toBeCloseTo(expected, 12);
  });

  it('reduces along one axis with keepdims, negative axes included', () => {
    const x = f64([[3, 4], [5, 12]]);
    expectClose(norm(x, { axis: 1 }).toArray() as number[], [5, 13], 1e-14);
    expectClose(norm(x, { axis: -2, ord: 1 }).toArray() as number[], [8, 16], 1e-14);
    const k = norm(x, { axis: 1, keepdims: true });
    expect(k.shape).toEqual([2, 1]);
    expect(norm(tensor([[3, 4]]), {}).dtype).toBe('float32');
  });

  it('without ord or axis is the 2-norm of all elements, any rank', () => {
    const x = randn(prng(1), [2, 3, 4], { dtype: 'float64' });
    const flat = [...x.dataSync()];
    expect(norm(x).item()).toBeCloseTo(Math.hypot(...flat), 12);
    expect(norm(x, { keepdims: true }).shape).toEqual([1, 1, 1]);
  });
});

describe('matrix norms', () => {
  const a = [
    [1, -2, 3],
    [-4, 5, -6],
  ];
  it('Frobenius, 1, ∞ and their negatives match the closed forms', () => {
    const x = f64(a);
    expect(norm(x).item()).toBeCloseTo(Math.sqrt(91), 12);
    expect(norm(x, { ord: 'fro' }).item()).toBeCloseTo(Math.sqrt(91), 12);
    expect(norm(x, { ord: 1 }).item()).toBe(9); // column sums 5, 7, 9
    expect(norm(x, { ord: -1 }).item()).toBe(5);
    expect(norm(x, { ord: Number.POSITIVE_INFINITY }).item()).toBe(15); // row sums 6, 15
    expect(norm(x, { ord: Number.NEGATIVE_INFINITY }).item()).toBe(6);
    // axis order matters: [1, 0] is the norm of the transpose
    expect(norm(x, { ord: 1, axis: [1, 0] }).item()).toBe(15);
  });

  it("'nuc', 2 and −2 are the sum, max and min of the singular values", () => {
    const m = asMat(randn(prng(2), [4, 3], { dtype: 'float64' }));
    const s = svd(f64(m)).s.toArray() as number[];
    expect(norm(f64(m), { ord: 'nuc' }).item()).toBeCloseTo(s[0]! + s[1]! + s[2]!, 12);
    expect(norm(f64(m), { ord: 2 }).item()).toBeCloseTo(s[0]!, 12);
    expect(norm(f64(m), { ord: -2 }).item()).toBeCloseTo(s[2]!, 12);
    // closed form: diag(3, 1) has spectral norm 3 and nuclear norm 4
    expect(norm(f64([[3, 0], [0, -1]]), { ord: 2 }).item()).toBeCloseTo(3, 14);
    expect(norm(f64([[3, 0], [0, -1]]), { ord: 'nuc' }).item()).toBeCloseTo(4, 14);
  });

  it('batches over the remaining axes, in any axis position, with keepdims', () => {
    const x = randn(prng(3), [2, 3, 4], { dtype: 'float64' });
    const mats = x.toArray() as Mat[];
    const y = norm(x, { ord: 2, axis: [1, 2] });
    expect(y.shape).toEqual([2]);
    const per = mats.map((m) => norm(f64(m), { ord: 2 }).item());
    expectClose(y.toArray() as number[], per, 1e-12);
    // axes [0, 2]: matrices x[:, j, :] for each j
    const z = norm(x, { ord: 'nuc', axis: [0, 2], keepdims: true });
    expect(z.shape).toEqual([1, 3, 1]);
    const cols = [0, 1, 2].map((j) => norm(f64(mats.map((m) => m[j]!)), { ord: 'nuc' }).item());
    expectClose((z.toArray() as number[][][])[0]!.map((r) => r[0]!), cols, 1e-12);
    const f = norm(x, { axis: [-1, -2], keepdims: true });
    expect(f.shape).toEqual([2, 1, 1]);
  });

  it('vector and Frobenius norms are composites of primitives (differentiable)', () => {
    const { calls } = trace(() => {
      norm(f64([[1, 2], [3, 4]]), { ord: 'fro' });
      norm(f64([1, 2]), { ord: 1 });
      norm(f64([1, 2]), { ord: Number.POSITIVE_INFINITY });
    });
    expect(calls.map((c) => c.primitive)).toEqual(expect.arrayContaining(['sqrt', 'sum', 'abs', 'max']));
  });

  it('rejects bad orders, axes and inputs', () => {
    expect(() => norm(f64([1, 2]), { ord: 'fro' })).toThrow("norm: ord fro is not a vector norm");
    expect(() => norm(f64([[1, 2]]), { ord: 3 })).toThrow("norm: ord 3 is not a matrix norm (use 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity)");
    expect(() => norm(f64([[[1]]]), { ord: 2 })).toThrow('norm: ord 2 without axis needs a vector or a matrix, got shape [1, 1, 1]');
    expect(() => norm(f64([[[1]]]), { axis: [0, 1, 2] })).toThrow('norm: axis must name 1 (vector norm) or 2 (matrix norm) axes, got [0, 1, 2]');
    expect(() => norm(f64([[1]]), { axis: [0, 0] })).toThrow(/norm: repeated axis/);
    expect(() => norm(f64([1]), { axis: 1 })).toThrow(/norm: axis 1 is out of range for a tensor of rank 1/);
    expect(() => norm(tensor([1], { dtype: 'int32' }))).toThrow('norm: x must be float32 or float64, got int32; cast it first');
  });
});
