import { describe, expect, it } from 'vitest';
import { ravel, rng, run, t, unravel, vals } from './helpers.js';

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('cpu reshape/transpose/broadcastTo kernels', () => {
  it('reshape keeps row-major order', () => {
    const y = run('reshape', [t(iota(6), [2, 3])], { shape: [3, 1, 2] });
    expect(y.shape).toEqual([3, 1, 2]);
    expect(vals(y)).toEqual(iota(6));
    expect(run('reshape', [t([], [0, 4])], { shape: [2, 0] }).shape).toEqual([2, 0]);
  });

  it('transpose matches out[i] = x[perm-mapped i] for every perm of [2,3,4]', () => {
    const shape = [2, 3, 4];
    const x = iota(24);
    const perms = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const perm of perms) {
      const y = run('transpose', [t(x, shape, 'int32')], { perm });
      const oshape = perm.map((p) => shape[p]!);
      expect(y.shape).toEqual(oshape);
      const want = iota(24).map((f) => {
        const oi = unravel(f, oshape);
        const xi = new Array<number>(3);
        perm.forEach((p, d) => {
          xi[p] = oi[d]!;
        });
        return x[ravel(xi, shape)]!;
      });
      expect(vals(y), `perm ${perm}`).toEqual(want);
    }
    expect(vals(run('transpose', [t([1, 2, 3], [1, 3, 1])], { perm: [2, 1, 0] }))).toEqual([1, 2, 3]);
    expect(run('transpose', [t([], [0, 2])], { perm: [1, 0] }).shape).toEqual([2, 0]);
  });

  it('transpose matches the reference on shapes large enough for the tiled copy', () => {
    for (const [shape, perm] of [
      [[70, 33], [1, 0]],
      [[3, 40, 70], [0, 2, 1]],
      [[3, 40, 70], [2, 1, 0]],
      [[33, 2, 65], [2, 1, 0]],
    ] as [number[], number[]][]) {
      const size = shape.reduce((a, d) => a * d, 1);
      const y = run('transpose', [t(iota(size), shape, 'int32')], { perm });
      const oshape = perm.map((p) => shape[p]!);
      const want = iota(size).map((f) => {
        const oi = unravel(f, oshape);
        const xi = new Array<number>(shape.length);
        perm.forEach((p, d) => {
          xi[p] = oi[d]!;
        });
        return ravel(xi, shape);
      });
      expect(vals(y), `${shape} perm ${perm}`).toEqual(want);
    }
  });

  it('broadcastTo repeats size-1 and missing leading dims', () => {
    expect(vals(run('broadcastTo', [t([1, 2, 3], [3])], { shape: [2, 3] }))).toEqual([1, 2, 3, 1, 2, 3]);
    expect(vals(run('broadcastTo', [t([1, 2], [2, 1])], { shape: [2, 3] }))).toEqual([1, 1, 1, 2, 2, 2]);
    expect(vals(run('broadcastTo', [t([5], [])], { shape: [2, 2] }))).toEqual([5, 5, 5, 5]);
    expect(vals(run('broadcastTo', [t([0, 1], [1, 2, 1], 'bool')], { shape: [2, 2, 2] }))).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
    expect(run('broadcastTo', [t([1], [1])], { shape: [3, 0] }).shape).toEqual([3, 0]);
  });
});

describe('cpu slice/pad/concat/reverse kernels', () => {
  it('slice takes the block at begin of extent size', () => {
    const x = t(iota(24), [2, 3, 4]);
    const y = run('slice', [x], { begin: [1, 1, 2], size: [1, 2, 2] });
    expect(y.shape).toEqual([1, 2, 2]);
    expect(vals(y)).toEqual([18, 19, 22, 23]);
    expect(vals(run('slice', [x], { begin: [0, 2, 0], size: [2, 1, 4] }))).toEqual([8, 9, 10, 11, 20, 21, 22, 23]);
    expect(run('slice', [x], { begin: [0, 3, 0], size: [2, 0, 4] }).shape).toEqual([2, 0, 4]);
  });

  it('pad fills with value and crops on negative amounts', () => {
    const x = t([1, 2, 3, 4], [2, 2]);
    const y = run('pad', [x], {
      paddings: [
        [1, 0],
        [0, 2],
      ],
      value: -1,
    });
    expect(y.shape).toEqual([3, 4]);
    expect(vals(y)).toEqual([-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1]);
    const c = run('pad', [t(iota(6), [2, 3])], {
      paddings: [
        [0, 0],
        [-1, 1],
      ],
      value: 9,
    });
    expect(vals(c)).toEqual([1, 2, 9, 4, 5, 9]);
    expect(vals(run('pad', [t([], [0], 'int32')], { paddings: [[2, 1]], value: 7 }))).toEqual([7, 7, 7]);
  });

  it('concat stacks bands along the axis, skipping size-0 inputs', () => {
    const a = t([1, 2, 3, 4], [2, 2]);
    const b = t([5, 6], [2, 1]);
    const e = t([], [2, 0]);
    const y = run('concat', [a, e, b], { axis: 1 });
    expect(y.shape).toEqual([2, 3]);
    expect(vals(y)).toEqual([1, 2, 5, 3, 4, 6]);
    expect(vals(run('concat', [a, t([7, 8], [1, 2])], { axis: 0 }))).toEqual([1, 2, 3, 4, 7, 8]);
  });

  it('reverse flips the listed axes', () => {
    const x = t(iota(6), [2, 3], 'int32');
    expect(vals(run('reverse', [x], { axes: [1] }))).toEqual([2, 1, 0, 5, 4, 3]);
    expect(vals(run('reverse', [x], { axes: [0] }))).toEqual([3, 4, 5, 0, 1, 2]);
    expect(vals(run('reverse', [x], { axes: [0, 1] }))).toEqual([5, 4, 3, 2, 1, 0]);
    expect(vals(run('reverse', [x], { axes: [] }))).toEqual(iota(6));
    expect(run('reverse', [t([], [0, 3])], { axes: [0] }).shape).toEqual([0, 3]);
  });
});

describe('cpu gather/scatterAdd kernels', () => {
  it('gather picks slices along an axis with multi-dim indices', () => {
    const x = t(iota(12), [3, 4]);
    const idx = t([2, 0, 0, 1], [2, 2], 'int32');
    const g1 = run('gather', [x, idx], { axis: 1 });
    expect(g1.shape).toEqual([3, 2, 2]);
    expect(vals(g1)).toEqual([2, 0, 0, 1, 6, 4, 4, 5, 10, 8, 8, 9]);
    const g0 = run('gather', [x, t([2, 2], [2], 'int32')], { axis: 0 });
    expect(vals(g0)).toEqual([8, 9, 10, 11, 8, 9, 10, 11]);
    expect(run('gather', [x, t([], [0], 'int32')], { axis: 0 }).shape).toEqual([0, 4]);
    expect(vals(run('gather', [x, t([3], [], 'int32')], { axis: 1 }))).toEqual([3, 7, 11]);
  });

  it('gather refuses out-of-range indices, naming the index and the axis size', () => {
    expect(() => run('gather', [t([1, 2], [2]), t([2], [1], 'int32')], { axis: 0 })).toThrow(/index 2 .* size 2/);
    expect(() => run('gather', [t([1, 2], [2]), t([-1], [1], 'int32')], { axis: 0 })).toThrow(/index -1/);
  });

  it('scatterAdd sums duplicates into a size-`size` axis', () => {
    const idx = t([1, 3, 1], [3], 'int32');
    const upd = t([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = run('scatterAdd', [idx, upd], { axis: 1, size: 4 });
    expect(y.shape).toEqual([2, 4]);
    expect(vals(y)).toEqual([0, 4, 0, 2, 0, 10, 0, 5]);
    const yi = run('scatterAdd', [t([0, 0], [2], 'int32'), t([2147483647, 1], [2], 'int32')], { axis: 0, size: 1 });
    expect(vals(yi)).toEqual([-2147483648]);
    expect(vals(run('scatterAdd', [t([], [0], 'int32'), t([], [0])], { axis: 0, size: 2 }))).toEqual([0, 0]);
    expect(() => run('scatterAdd', [t([4], [1], 'int32'), t([1], [1])], { axis: 0, size: 4 })).toThrow(/index 4/);
  });

  it('scatterAdd is the transpose of gather: <gather(x, i), u> = <x, scatterAdd(i, u)>', () => {
    const r = rng(7);
    const xs = [3, 5, 2];
    const is = [2, 4];
    const x = iota(30).map(() => r());
    const i = iota(8).map(() => Math.floor(((r() + 1) / 2) * 5));
    const us = [3, 2, 4, 2];
    const u = iota(48).map(() => r());
    const g = vals(run('gather', [t(x, xs), t(i, is, 'int32')], { axis: 1 }));
    const s = vals(run('scatterAdd', [t(i, is, 'int32'), t(u, us)], { axis: 1, size: 5 }));
    const lhs = g.reduce((acc, v, k) => acc + v * u[k]!, 0);
    const rhs = s.reduce((acc, v, k) => acc + v * x[k]!, 0);
    expect(lhs).toBeCloseTo(rhs, 12);
  });
});
