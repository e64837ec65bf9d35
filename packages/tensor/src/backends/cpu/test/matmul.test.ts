import { afterEach, describe, expect, it } from 'vitest';
import { gemm } from '../kernels/matmul.js';
import { naiveMatmul } from '../kernels/matmul-naive.js';
import { float32Bound } from '../wasm/layout.js';
import { cpuWasm, setCpuWasm } from '../wasm/module.js';
import { rng, run, t, vals } from './helpers.js';

const none = {} as Record<string, never>;

afterEach(() => setCpuWasm('auto'));
const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rel: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  let scale = 1;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i]! - want[i]!) > rel * scale) expect(got[i], `${what} at ${i}`).toBe(want[i]);
  }
}

describe('naiveMatmul (the oracle)', () => {
  it('multiplies a 2×3 by a 3×2 by hand', () => {
    expect(Array.from(naiveMatmul([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], 2, 3, 2))).toEqual([58, 64, 139, 154]);
  });
});

describe('cpu matmul kernel', () => {
  it('multiplies by hand-computed values, batched', () => {
    const y = run('matmul', [t([1, 2, 3, 4, 5, 6], [2, 3]), t([7, 8, 9, 10, 11, 12], [3, 2])], none);
    expect(y.shape).toEqual([2, 2]);
    expect(vals(y)).toEqual([58, 64, 139, 154]);
    // batch of two: identity·b, then [[0,1],[1,0]]·b swaps rows.
    const a = t([1, 0, 0, 1, 0, 1, 1, 0], [2, 2, 2]);
    const b = t([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    expect(vals(run('matmul', [a, b], none))).toEqual([1, 2, 3, 4, 7, 8, 5, 6]);
    const b4 = run('matmul', [t(iota(12), [2, 1, 2, 3]), t(iota(18), [2, 1, 3, 3])], none);
    expect(b4.shape).toEqual([2, 1, 2, 3]);
    expect(vals(b4).slice(0, 3)).toEqual([15, 18, 21]);
  });

  it('gives zeros for k = 0 and empty results for m = 0, n = 0 or batch 0', () => {
    expect(vals(run('matmul', [t([], [2, 0]), t([], [0, 3])], none))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(run('matmul', [t([], [0, 2]), t([1, 2], [2, 1])], none).shape).toEqual([0, 1]);
    expect(run('matmul', [t([1, 2], [1, 2]), t([], [2, 0])], none).shape).toEqual([1, 0]);
    expect(run('matmul', [t([], [0, 2, 2]), t([], [0, 2, 2])], none).shape).toEqual([0, 2, 2]);
  });

  it('propagates NaN and Inf as IEEE says (Inf·0 = NaN)', () => {
    const y = vals(run('matmul', [t([Number.POSITIVE_INFINITY, 0, 1, 1], [2, 2]), t([0, 1], [2, 1])], none));
    expect(y[0]).toBeNaN();
    expect(y[1]).toBe(1);
    const z = vals(run('matmul', [t([1, 2], [1, 2]), t([Number.NaN, 1, 1, 1], [2, 2])], none));
    expect(z[0]).toBeNaN();
    expect(z[1]).toBe(3);
  });

  it('matches naiveMatmul on random float64 and float32 sizes in {1, 3, 17, 65, 130}', () => {
    const r = rng(42);
    const sizes = [1, 3, 17, 65, 130];
    for (const m of sizes) {
      for (const k of sizes) {
        for (const n of sizes) {
          const a = iota(m * k).map(() => r());
          const b = iota(k * n).map(() => r());
          const want = naiveMatmul(a, b, m, k, n);
          expectClose(run('matmul', [t(a, [m, k]), t(b, [k, n])], none).dataSync(), want, 1e-13, `float64 ${m}×${k}×${n}`);
          const a32 = Float32Array.from(a);
          const b32 = Float32Array.from(b);
          const y32 = run('matmul', [t(a32, [m, k], 'float32'), t(b32, [k, n], 'float32')], none);
          expect(y32.dtype).toBe('float32');
          expectClose(y32.dataSync(), naiveMatmul(a32, b32, m, k, n), 1e-6, `float32 ${m}×${k}×${n}`);
        }
      }
    }
  });

  for (const wasm of [true, false]) {
    it(`matches naiveMatmul across cache-block boundaries (k > 256, m > 128, n > 1024), ${wasm ? 'wasm' : 'JavaScript'} kernel`, () => {
      setCpuWasm(wasm);
      const r = rng(11);
      for (const [m, k, n] of [
        [9, 520, 7],
        [133, 300, 5],
        [6, 5, 1100],
        [4, 257, 3],
      ] as const) {
        const a = iota(m * k).map(() => r());
        const b = iota(k * n).map(() => r());
        expectClose(run('matmul', [t(a, [m, k]), t(b, [k, n])], none).dataSync(), naiveMatmul(a, b, m, k, n), 1e-13, `float64 ${m}×${k}×${n}`);
        const a32 = Float32Array.from(a);
        const b32 = Float32Array.from(b);
        const want = naiveMatmul(a32, b32, m, k, n);
        const got = run('matmul', [t(a32, [m, k], 'float32'), t(b32, [k, n], 'float32')], none).dataSync();
        // JavaScript accumulates in doubles and rounds once: within one float32 rounding of the exact sum.
        // wasm accumulates in float32 (f32x4): within γ_K·Σ|a||b|, see float32Bound.
        const abs = naiveMatmul(a32.map(Math.abs), b32.map(Math.abs), m, k, n);
        got.forEach((v, i) => {
          const bound = wasm && cpuWasm() ? float32Bound(k) * abs[i]! : Math.abs(Math.fround(want[i]!) - want[i]!) + 1e-12;
          expect(Math.abs(v - want[i]!), `float32 ${m}×${k}×${n} at ${i}`).toBeLessThanOrEqual(bound);
        });
      }
    });
  }

  it('gemm writes only its own block when called at offsets', () => {
    const r = rng(3);
    const [m, k, n] = [5, 7, 9];
    const a = Float64Array.from(iota(3 + m * k), () => r());
    const b = Float64Array.from(iota(2 + k * n), () => r());
    const c = new Float64Array(4 + m * n + 4).fill(-7);
    gemm(a, 3, b, 2, c, 4, m, k, n);
    expectClose(c.subarray(4, 4 + m * n), naiveMatmul(a.subarray(3), b.subarray(2), m, k, n), 1e-13, 'offset gemm');
    expect([...c.subarray(0, 4), ...c.subarray(4 + m * n)]).toEqual(new Array(8).fill(-7));
  });

  it('matches naiveMatmul on a batch of odd sizes', () => {
    const r = rng(9);
    const [bt, m, k, n] = [3, 17, 33, 5];
    const a = iota(bt * m * k).map(() => r());
    const b = iota(bt * k * n).map(() => r());
    const y = run('matmul', [t(a, [bt, m, k]), t(b, [bt, k, n])], none).dataSync();
    for (let i = 0; i < bt; i++) {
      const want = naiveMatmul(a.slice(i * m * k, (i + 1) * m * k), b.slice(i * k * n, (i + 1) * k * n), m, k, n);
      expectClose(y.subarray(i * m * n, (i + 1) * m * n), want, 1e-13, `batch ${i}`);
    }
  });

  it('k = 1 (batched outer products, the direct kernel) equals the JavaScript gemm bit for bit, signed zeros and non-finite values included', () => {
    const r = rng(11);
    const [bt, m, n] = [3, 9, 14];
    const special = [0, -0, Number.POSITIVE_INFINITY, Number.NaN, 1e-310];
    const a = iota(bt * m).map((i) => (i < special.length ? special[i]! : r()));
    const b = iota(bt * n).map((i) => (i % 5 === 0 ? -0 : i % 7 === 0 ? 0 : r()));
    for (const dtype of ['float64', 'float32'] as const) {
      const y = run('matmul', [t(a, [bt, m, 1], dtype), t(b, [bt, 1, n], dtype)], none).dataSync();
      const ctor = dtype === 'float64' ? Float64Array : Float32Array;
      const [fa, fb] = [ctor.from(a), ctor.from(b)];
      for (let i = 0; i < bt; i++) {
        const want = new ctor(m * n);
        gemm(fa.subarray(i * m, (i + 1) * m), 0, fb.subarray(i * n, (i + 1) * n), 0, want, 0, m, 1, n);
        // Object.is: +0 and −0 told apart, NaN equal to NaN.
        for (let j = 0; j < m * n; j++) {
          const v = y[i * m * n + j];
          expect(Object.is(v, want[j]), `${dtype} batch ${i} at ${j}: ${v} vs ${want[j]}`).toBe(true);
        }
      }
    }
  });
});
