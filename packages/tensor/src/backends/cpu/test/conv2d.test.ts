import { describe, expect, it } from 'vitest';
import type { Attrs } from '../../../primitives.js';
import fixture from '../fixtures/conv2d.json';
import { float32Bound } from '../wasm/layout.js';
import { rng, run, t, vals } from './helpers.js';

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);
const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);

/** Direct six-loop convolution, the oracle for random configurations. */
function refConv2d(x: number[], xs: number[], w: number[], ws: number[], a: Attrs<'conv2d'>): { shape: number[]; values: number[] } {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [O, CG, KH, KW] = ws as [number, number, number, number];
  const OH = Math.floor((H + a.padding[0][0] + a.padding[0][1] - a.dilation[0] * (KH - 1) - 1) / a.stride[0]) + 1;
  const OW = Math.floor((W + a.padding[1][0] + a.padding[1][1] - a.dilation[1] * (KW - 1) - 1) / a.stride[1]) + 1;
  const values: number[] = [];
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          let s = 0;
          const g = Math.floor(o / (O / a.groups));
          for (let c = 0; c < CG; c++)
            for (let p = 0; p < KH; p++)
              for (let q = 0; q < KW; q++) {
                const h = i * a.stride[0] - a.padding[0][0] + p * a.dilation[0];
                const v = j * a.stride[1] - a.padding[1][0] + q * a.dilation[1];
                if (h >= 0 && h < H && v >= 0 && v < W) s += x[((n * C + g * CG + c) * H + h) * W + v]! * w[((o * CG + c) * KH + p) * KW + q]!;
              }
          values.push(s);
        }
  return { shape: [N, O, OH, OW], values };
}

const plain: Attrs<'conv2d'> = {
  stride: [1, 1],
  padding: [
    [0, 0],
    [0, 0],
  ],
  dilation: [1, 1],
  groups: 1,
};

describe('cpu conv2d kernel', () => {
  it('sums 2×2 windows of a 3×3 image with an all-ones kernel', () => {
    const y = run('conv2d', [t(iota(9), [1, 1, 3, 3]), t([1, 1, 1, 1], [1, 1, 2, 2])], plain);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(vals(y)).toEqual([8, 12, 20, 24]);
  });

  it('matches recorded PyTorch outputs (stride, asymmetric padding, dilation, groups) in float64 and float32', () => {
    for (const c of fixture.cases) {
      const x = iota(size(c.x)).map((i) => Math.sin(0.37 * i + 0.1));
      const w = iota(size(c.w)).map((i) => Math.cos(0.53 * i + 0.2));
      const attrs = { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups } as Attrs<'conv2d'>;
      const what = JSON.stringify({ x: c.x, w: c.w, ...attrs });
      const y = run('conv2d', [t(x, c.x), t(w, c.w)], attrs);
      expect(y.shape, what).toEqual(c.out);
      vals(y).forEach((v, i) => {
        expect(Math.abs(v - c.values[i]!), `${what} at ${i}`).toBeLessThan(1e-12);
      });
      const y32 = run('conv2d', [t(x, c.x, 'float32'), t(w, c.w, 'float32')], attrs);
      expect(y32.dtype).toBe('float32');
      vals(y32).forEach((v, i) => {
        expect(Math.abs(v - c.values[i]!), `float32 ${what} at ${i}`).toBeLessThan(2e-5);
      });
    }
  });

  it('matches the direct loop on random configurations', () => {
    const r = rng(5);
    const pick = (lo: number, hi: number) => lo + Math.floor(((r() + 1) / 2) * (hi - lo + 1));
    for (let trial = 0; trial < 40; trial++) {
      const groups = pick(1, 3);
      const [kh, kw] = [pick(1, 4), pick(1, 4)];
      const [dh, dw] = [pick(1, 2), pick(1, 2)];
      const padding: [[number, number], [number, number]] = [
        [pick(0, 2), pick(0, 2)],
        [pick(0, 2), pick(0, 2)],
      ];
      const h = dh * (kh - 1) + pick(1, 9) - padding[0][0] - padding[0][1];
      const wd = dw * (kw - 1) + pick(1, 9) - padding[1][0] - padding[1][1];
      if (h < 1 || wd < 1) continue;
      const xs = [pick(1, 3), groups * pick(1, 3), h, wd];
      const ws = [groups * pick(1, 3), xs[1]! / groups, kh, kw];
      const attrs: Attrs<'conv2d'> = { stride: [pick(1, 3), pick(1, 3)], padding, dilation: [dh, dw], groups };
      const x = iota(size(xs)).map(() => r());
      const w = iota(size(ws)).map(() => r());
      const want = refConv2d(x, xs, w, ws, attrs);
      const y = run('conv2d', [t(x, xs), t(w, ws)], attrs);
      const what = JSON.stringify({ xs, ws, ...attrs });
      expect(y.shape, what).toEqual(want.shape);
      vals(y).forEach((v, i) => {
        expect(Math.abs(v - want.values[i]!), `${what} at ${i}`).toBeLessThan(1e-12);
      });
    }
  });

  const same: Attrs<'conv2d'>['padding'] = [
    [1, 1],
    [1, 1],
  ];

  it('matches the direct loop on sizes that take the blocked gemm, 1×1 kernels and several sample chunks', () => {
    const r = rng(6);
    const cases: [number[], number[], Attrs<'conv2d'>][] = [
      [[2, 3, 20, 20], [8, 3, 3, 3], { ...plain, padding: same }],
      [[1, 4, 16, 17], [8, 2, 3, 2], { ...plain, stride: [1, 2], dilation: [2, 1], groups: 2 }],
      [[2, 4, 3, 5], [6, 2, 1, 1], { ...plain, groups: 2 }],
      [[1, 6, 30, 30], [6, 6, 1, 1], plain],
      // A kernel larger than the output (a weight cotangent's shape): the transposed product on wasm.
      [[3, 20, 16, 16], [8, 20, 16, 16], { ...plain, padding: same }],
      [[2, 4, 20, 19], [8, 2, 9, 7], { ...plain, stride: [1, 2], dilation: [2, 1], padding: [[1, 0], [2, 1]], groups: 2 }],
      // 40 samples of 27·1024 unfolded values exceed one 2^20-element chunk: two chunks of 20.
      [[40, 3, 32, 32], [8, 3, 3, 3], { ...plain, padding: same }],
    ];
    for (const [xs, ws, attrs] of cases) {
      const x = iota(size(xs)).map(() => r());
      const w = iota(size(ws)).map(() => r());
      const want = refConv2d(x, xs, w, ws, attrs);
      for (const dtype of ['float64', 'float32'] as const) {
        const y = run('conv2d', [t(x, xs, dtype), t(w, ws, dtype)], attrs);
        const what = `${dtype} ${JSON.stringify({ xs, ws, ...attrs })}`;
        expect(y.shape, what).toEqual(want.shape);
        // float32: the float32 gemm's bound (layout.ts) on Σ|x||w| ≤ k, plus rounding x and w to float32.
        const k = ws[1]! * ws[2]! * ws[3]!;
        const tol = dtype === 'float64' ? 1e-12 : Math.max(1e-5, float32Bound(k) * k + 2 ** -23 * k);
        const got = vals(y);
        let worst = 0;
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want.values[i]!));
        expect(worst, what).toBeLessThan(tol);
      }
    }
  });

  it('handles batch 0 and an empty output height', () => {
    expect(run('conv2d', [t([], [0, 2, 4, 4]), t(iota(18), [1, 2, 3, 3])], plain).shape).toEqual([0, 1, 2, 2]);
    expect(run('conv2d', [t(iota(8), [1, 1, 2, 4]), t(iota(9), [1, 1, 3, 3])], plain).shape).toEqual([1, 1, 0, 2]);
  });
});
