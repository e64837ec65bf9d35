import { describe, expect, it } from 'vitest';
import { rng, run, t, unravel, vals } from './helpers.js';

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Reference reduction by enumerating multi-indices (independent of the kernel's walk). */
function refReduce(x: number[], shape: number[], axes: number[], init: number, f: (a: number, v: number) => number): number[] {
  const outShape = shape.filter((_, d) => !axes.includes(d));
  const out = new Array<number>(outShape.reduce((s, d) => s * d, 1)).fill(init);
  x.forEach((v, flat) => {
    const idx = unravel(flat, shape).filter((_, d) => !axes.includes(d));
    let o = 0;
    idx.forEach((i, d) => {
      o = o * outShape[d]! + i;
    });
    out[o] = f(out[o]!, v);
  });
  return out;
}

describe('cpu sum/prod/max kernels', () => {
  it('sum arange(24) over [0, 2] of [2,3,4] to the closed form 32j + 60', () => {
    const y = run('sum', [t(iota(24), [2, 3, 4])], { axes: [0, 2] });
    expect(y.shape).toEqual([3]);
    expect(vals(y)).toEqual([60, 92, 124]);
  });

  it('sum every axis subset of a random [3,1,4,2] like the reference', () => {
    const r = rng(1);
    const shape = [3, 1, 4, 2];
    const x = iota(24).map(() => r());
    for (let mask = 0; mask < 16; mask++) {
      const axes = [0, 1, 2, 3].filter((d) => mask & (1 << d));
      for (const [p, init, f] of [
        ['sum', 0, (a: number, v: number) => a + v],
        ['prod', 1, (a: number, v: number) => a * v],
        ['max', Number.NEGATIVE_INFINITY, Math.max],
      ] as const) {
        const y = run(p, [t(x, shape)], { axes });
        const want = refReduce(x, shape, axes, init, f);
        expect(y.shape).toEqual(shape.filter((_, d) => !axes.includes(d)));
        vals(y).forEach((v, i) => {
          expect(v, `${p} over [${axes}]`).toBeCloseTo(want[i]!, 12);
        });
      }
    }
  });

  it('give 0, 1 and -Infinity over an empty axis, and empty outputs for empty kept dims', () => {
    const x = t([], [2, 0]);
    expect(vals(run('sum', [x], { axes: [1] }))).toEqual([0, 0]);
    expect(vals(run('prod', [x], { axes: [1] }))).toEqual([1, 1]);
    expect(vals(run('max', [x], { axes: [1] }))).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(run('sum', [x], { axes: [0] }).shape).toEqual([0]);
    expect(vals(run('sum', [x], { axes: [0, 1] }))).toEqual([0]);
  });

  it('propagate NaN through max and reduce a rank-0 tensor with no axes', () => {
    expect(vals(run('max', [t([1, Number.NaN, 3, 4, 5, 6], [2, 3])], { axes: [1] }))).toEqual([Number.NaN, 6]);
    expect(run('sum', [t([7], [])], { axes: [] }).item()).toBe(7);
  });

  it('accumulate float32 sums in double and round once', () => {
    const x = new Array(10).fill(0.1);
    const y = run('sum', [t(x, [10], 'float32')], { axes: [0] });
    expect(y.dtype).toBe('float32');
    expect(y.item()).toBe(Math.fround(10 * Math.fround(0.1)));
  });

  it('wrap int32 sum and prod, keep int32 max', () => {
    const x = t([2147483647, 1, 65536, 65536], [2, 2], 'int32');
    expect(vals(run('sum', [x], { axes: [1] }))).toEqual([-2147483648, 131072]);
    expect(vals(run('prod', [x], { axes: [1] }))).toEqual([2147483647, 0]);
    const m = run('max', [t([-5, -7, 3, 2], [2, 2], 'int32')], { axes: [1] });
    expect(m.dtype).toBe('int32');
    expect(vals(m)).toEqual([-5, 3]);
  });
});

describe('cpu argmax/argmin kernels', () => {
  it('return the first extreme index along an axis as int32', () => {
    const x = t([1, 3, 3, 0, 0, -2, 5, 5, 5, -1, 4, -2], [2, 3, 2]);
    const a0 = run('argmax', [x], { axis: 1 });
    expect(a0.dtype).toBe('int32');
    expect(a0.shape).toEqual([2, 2]);
    // x[0] = [[1,3],[3,0],[0,-2]], x[1] = [[5,5],[5,-1],[4,-2]]
    expect(vals(a0)).toEqual([1, 0, 0, 0]);
    expect(vals(run('argmin', [x], { axis: 1 }))).toEqual([2, 2, 2, 2]);
    expect(vals(run('argmax', [x], { axis: 2 }))).toEqual([1, 0, 0, 0, 0, 0]);
    expect(vals(run('argmin', [x], { axis: 0 }))).toEqual([0, 0, 0, 1, 0, 0]);
  });

  it('pick the first NaN, handle size-1 axes, int32 and bool', () => {
    expect(vals(run('argmax', [t([1, Number.NaN, 9, Number.NaN], [4])], { axis: 0 }))).toEqual([1]);
    expect(vals(run('argmin', [t([Number.NaN, -9], [2])], { axis: 0 }))).toEqual([0]);
    expect(vals(run('argmax', [t([4, 2, 8], [3, 1])], { axis: 1 }))).toEqual([0, 0, 0]);
    expect(vals(run('argmin', [t([4, -2, 8], [3], 'int32')], { axis: 0 }))).toEqual([1]);
    expect(vals(run('argmax', [t([0, 0, 1, 1], [4], 'bool')], { axis: 0 }))).toEqual([2]);
    expect(run('argmax', [t([], [0, 3])], { axis: 1 }).shape).toEqual([0]);
  });
});

describe('cpu cumsum kernel', () => {
  it('scans forward and in reverse along any axis', () => {
    const x = t([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(vals(run('cumsum', [x], { axis: 1, reverse: false }))).toEqual([1, 3, 6, 4, 9, 15]);
    expect(vals(run('cumsum', [x], { axis: 1, reverse: true }))).toEqual([6, 5, 3, 15, 11, 6]);
    expect(vals(run('cumsum', [x], { axis: 0, reverse: false }))).toEqual([1, 2, 3, 5, 7, 9]);
    expect(vals(run('cumsum', [x], { axis: 0, reverse: true }))).toEqual([5, 7, 9, 4, 5, 6]);
  });

  it('wraps int32, rounds float32 partial sums, and handles size 0', () => {
    const i = run('cumsum', [t([2147483647, 1, 1], [3], 'int32')], { axis: 0, reverse: false });
    expect(i.dtype).toBe('int32');
    expect(vals(i)).toEqual([2147483647, -2147483648, -2147483647]);
    const f = run('cumsum', [t([0.1, 0.2], [2], 'float32')], { axis: 0, reverse: false });
    expect(vals(f)).toEqual([Math.fround(0.1), Math.fround(Math.fround(0.1) + Math.fround(0.2))]);
    expect(run('cumsum', [t([], [3, 0])], { axis: 1, reverse: true }).shape).toEqual([3, 0]);
  });
});
