import { describe, expect, it } from 'vitest';
import { run, t, vals } from './helpers.js';

const none = {} as Record<string, never>;

describe('cpu unary kernels', () => {
  it('give closed-form values in float64', () => {
    const e = Math.E;
    const cases: [Parameters<typeof run>[0], number[], number[]][] = [
      ['neg', [1, -2, 0], [-1, 2, -0]],
      ['abs', [-3, 2, -0], [3, 2, 0]],
      ['sign', [-3, 0, 2.5, Number.NaN], [-1, 0, 1, Number.NaN]],
      ['exp', [0, 1, Number.NEGATIVE_INFINITY], [1, e, 0]],
      ['log', [1, e, 0, -1], [0, 1, Number.NEGATIVE_INFINITY, Number.NaN]],
      ['log1p', [0, 1e-20, e - 1], [0, 1e-20, 1]],
      ['expm1', [0, 1e-20, 1], [0, 1e-20, e - 1]],
      ['sqrt', [4, 0, 2.25, -1], [2, 0, 1.5, Number.NaN]],
      ['sin', [0, Math.PI / 2, Math.PI / 6], [0, 1, 0.5]],
      ['cos', [0, Math.PI, Math.PI / 3], [1, -1, 0.5]],
      ['tanh', [0, 1000, -1000], [0, 1, -1]],
      ['sigmoid', [0, 1000, -1000, Math.log(3)], [0.5, 1, 0, 0.75]],
    ];
    for (const [p, x, want] of cases) {
      const y = run(p as 'neg', [t(x, [x.length])], none);
      expect(y.dtype, p).toBe('float64');
      vals(y).forEach((v, i) => {
        if (Number.isNaN(want[i]!)) expect(v, `${p}(${x[i]})`).toBeNaN();
        else expect(v, `${p}(${x[i]})`).toBeCloseTo(want[i]!, 14);
      });
    }
  });

  it('round float32 results to float32', () => {
    const y = run('exp', [t([1, 0.5], [2], 'float32')], none);
    expect(y.dtype).toBe('float32');
    expect(vals(y)).toEqual([Math.fround(Math.E), Math.fround(Math.exp(Math.fround(0.5)))]);
    const s = run('sigmoid', [t([-2], [1, 1], 'float32')], none);
    expect(s.shape).toEqual([1, 1]);
    expect(s.item()).toBe(Math.fround(1 / (1 + Math.exp(2))));
  });

  it('give the float32 rounding of the float64 result for every unary op', () => {
    const x = Float32Array.from([-3.5, -1, -0.25, 0, 0.3, 1, 2.7, 40]);
    for (const p of ['neg', 'abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid'] as const) {
      const y32 = run(p, [t(x, [8], 'float32')], none);
      const y64 = vals(run(p, [t(x, [8], 'float64')], none));
      expect(y32.dtype).toBe('float32');
      expect(vals(y32), p).toEqual(y64.map(Math.fround));
    }
  });

  it('wrap int32 neg/abs/sign and keep int32', () => {
    const x = t([-2147483648, -5, 0, 7], [4], 'int32');
    expect(vals(run('neg', [x], none))).toEqual([-2147483648, 5, 0, -7]);
    expect(vals(run('abs', [x], none))).toEqual([-2147483648, 5, 0, 7]);
    const s = run('sign', [x], none);
    expect(s.dtype).toBe('int32');
    expect(vals(s)).toEqual([-1, -1, 0, 1]);
  });

  it('handle size-0 and rank-0 inputs', () => {
    const e = run('exp', [t([], [2, 0])], none);
    expect(e.shape).toEqual([2, 0]);
    expect(e.size).toBe(0);
    expect(run('sqrt', [t([9], [])], none).item()).toBe(3);
  });
});

describe('cpu binary kernels', () => {
  it('compute float64 arithmetic, pow as Math.pow, NaN-propagating maximum/minimum', () => {
    const a = t([1, -2, 3, Number.NaN, 0], [5]);
    const b = t([4, 0.5, -3, 1, 0], [5]);
    expect(vals(run('add', [a, b], none))).toEqual([5, -1.5, 0, Number.NaN, 0]);
    expect(vals(run('sub', [a, b], none))).toEqual([-3, -2.5, 6, Number.NaN, 0]);
    expect(vals(run('mul', [a, b], none))).toEqual([4, -1, -9, Number.NaN, 0]);
    expect(vals(run('div', [a, b], none))).toEqual([0.25, -4, -1, Number.NaN, Number.NaN]);
    expect(vals(run('maximum', [a, b], none))).toEqual([4, 0.5, 3, Number.NaN, 0]);
    expect(vals(run('minimum', [a, b], none))).toEqual([1, -2, -3, Number.NaN, 0]);
    expect(vals(run('minimum', [b, a], none))[3]).toBeNaN();
    const p = vals(run('pow', [t([2, -8, 0, 4, -2], [5]), t([0.5, 1 / 3, 0, -0.5, 3], [5])], none));
    expect(p[0]).toBeCloseTo(Math.SQRT2, 15);
    expect(p[1]).toBeNaN();
    expect(p.slice(2)).toEqual([1, 0.5, -8]);
  });

  it('divide by zero to ±Infinity as IEEE says', () => {
    expect(vals(run('div', [t([1, -1], [2]), t([0, 0], [2])], none))).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  it('round float32 results', () => {
    const y = run('add', [t([0.1], [1], 'float32'), t([0.2], [1], 'float32')], none);
    expect(y.item()).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    const d = run('div', [t([1], [1], 'float32'), t([3], [1], 'float32')], none);
    expect(d.item()).toBe(Math.fround(1 / 3));
  });

  it('give the float32 rounding of the float64 result for every binary op', () => {
    const a = Float32Array.from([-3.5, -1, 0.3, 2, 7.1]);
    const b = Float32Array.from([0.7, -2.25, 3, 0.5, -1.3]);
    for (const p of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const) {
      const y32 = run(p, [t(a, [5], 'float32'), t(b, [5], 'float32')], none);
      const y64 = vals(run(p, [t(a, [5], 'float64'), t(b, [5], 'float64')], none));
      expect(vals(y32), p).toEqual(y64.map(Math.fround));
    }
  });

  it('wrap int32 add/sub/mul', () => {
    const a = t([2147483647, -2147483648, 65536, 46341, 7], [5], 'int32');
    const b = t([1, 1, 65536, 46341, -3], [5], 'int32');
    expect(vals(run('add', [a, b], none))).toEqual([-2147483648, -2147483647, 131072, 92682, 4]);
    expect(vals(run('sub', [a, b], none))).toEqual([2147483646, 2147483647, 0, 0, 10]);
    expect(vals(run('mul', [a, b], none))).toEqual([2147483647, -2147483648, 0, -2147479015, -21]);
    expect(vals(run('maximum', [a, b], none))).toEqual([2147483647, 1, 65536, 46341, 7]);
    expect(run('minimum', [a, b], none).dtype).toBe('int32');
  });
});

describe('cpu compare and where kernels', () => {
  it('compare with IEEE NaN rules and return bool', () => {
    const a = t([1, 2, 3, Number.NaN], [2, 2]);
    const b = t([2, 2, 2, Number.NaN], [2, 2]);
    const want: Record<string, number[]> = {
      equal: [0, 1, 0, 0],
      notEqual: [1, 0, 1, 1],
      greater: [0, 0, 1, 0],
      greaterEqual: [0, 1, 1, 0],
      less: [1, 0, 0, 0],
      lessEqual: [1, 1, 0, 0],
    };
    for (const [p, w] of Object.entries(want)) {
      const y = run(p as 'equal', [a, b], none);
      expect(y.dtype).toBe('bool');
      expect(y.shape).toEqual([2, 2]);
      expect(vals(y), p).toEqual(w);
    }
  });

  it('compare int32 and bool tensors', () => {
    expect(vals(run('less', [t([-1, 5], [2], 'int32'), t([0, 5], [2], 'int32')], none))).toEqual([1, 0]);
    expect(vals(run('equal', [t([1, 0], [2], 'bool'), t([1, 1], [2], 'bool')], none))).toEqual([1, 0]);
  });

  it('select with where for every dtype, including size 0', () => {
    const c = t([1, 0, 0, 1], [4], 'bool');
    expect(vals(run('where', [c, t([1, 2, 3, 4], [4]), t([-1, -2, -3, -4], [4])], none))).toEqual([1, -2, -3, 4]);
    const wi = run('where', [c, t([1, 2, 3, 4], [4], 'int32'), t([0, 0, 0, 0], [4], 'int32')], none);
    expect(wi.dtype).toBe('int32');
    expect(vals(wi)).toEqual([1, 0, 0, 4]);
    expect(vals(run('where', [c, c, t([1, 1, 1, 1], [4], 'bool')], none))).toEqual([1, 1, 1, 1]);
    expect(run('where', [t([], [0], 'bool'), t([], [0]), t([], [0])], none).shape).toEqual([0]);
  });
});

describe('cpu cast kernel', () => {
  it('truncates floats toward zero into int32', () => {
    const y = run('cast', [t([1.7, -1.7, -0.5, 3, 2147483647], [5])], { dtype: 'int32' });
    expect(y.dtype).toBe('int32');
    expect(vals(y)).toEqual([1, -1, 0, 3, 2147483647]);
  });

  it('maps to bool as x ≠ 0', () => {
    const y = run('cast', [t([0, -0, 2, -0.1, Number.NaN], [5])], { dtype: 'bool' });
    expect(y.dtype).toBe('bool');
    expect(vals(y)).toEqual([0, 0, 1, 1, 1]);
  });

  it('converts between float widths, int32 and bool', () => {
    expect(vals(run('cast', [t([0.1, 1e40], [2])], { dtype: 'float32' }))).toEqual([Math.fround(0.1), Number.POSITIVE_INFINITY]);
    expect(vals(run('cast', [t([1, 0], [2], 'bool')], { dtype: 'float64' }))).toEqual([1, 0]);
    expect(vals(run('cast', [t([-3, 4], [2], 'int32')], { dtype: 'float32' }))).toEqual([-3, 4]);
    const same = run('cast', [t([1.5], [1, 1])], { dtype: 'float64' });
    expect(same.shape).toEqual([1, 1]);
    expect(same.item()).toBe(1.5);
    expect(run('cast', [t([], [0, 3])], { dtype: 'int32' }).shape).toEqual([0, 3]);
  });
});
