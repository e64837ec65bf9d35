import { afterEach, describe, expect, it } from 'vitest';
import { createGemm } from '../kernels/gemm-core.js';
import { microKernel } from '../kernels/matmul-micro.js';
import { naiveMatmul } from '../kernels/matmul-naive.js';
import { capGemmThreads, cpuThreads, type GemmBatch, gemmBatch } from '../kernels/matmul-parallel.js';
import { sharedProductCount } from '../kernels/worker-pool.js';
import { wasmEligible, wasmGemmBatch } from '../wasm/gemm-wasm.js';
import { float32Bound, KC, kBlock, MC, TILES } from '../wasm/layout.js';
import { cpuWasm, setCpuWasm, wasmGemm } from '../wasm/module.js';
import { rng, run, t } from './helpers.js';

type Floats = Float32Array | Float64Array;
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const none = {} as Record<string, never>;
const { gemm: jsGemm } = createGemm(microKernel);

afterEach(() => {
  setCpuWasm('auto');
  capGemmThreads(Number.POSITIVE_INFINITY);
});

function random(ctor: Ctor, len: number, seed: number): Floats {
  const r = rng(seed);
  const x = new ctor(len);
  for (let i = 0; i < len; i++) x[i] = r();
  return x;
}

const same = (x: Floats, y: Floats) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
const single = (a: Floats, b: Floats, c: Floats, m: number, k: number, n: number): GemmBatch => ({ a, aOff: 0, aStride: 0, b, bOff: 0, bStride: 0, c, cOff: 0, cStride: 0, batch: 1, m, k, n });

/** The worst |got − exact| / Σ|a||b| over the product (exact: naiveMatmul in doubles on the same inputs). */
function worstRelative(got: Floats, a: Floats, b: Floats, m: number, k: number, n: number): number {
  const want = naiveMatmul(a, b, m, k, n);
  const abs = naiveMatmul(a.map(Math.abs), b.map(Math.abs), m, k, n);
  let worst = 0;
  for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (abs[i]! || 1));
  return worst;
}

// Sizes around every edge of the wasm kernel: MR (4) and NR (4 float64, 8 float32) tile edges,
// the MC (96) row blocks, the KC (256) k-blocks (k = 256, 257, 513: one, two and three blocks),
// k = 1, very wide n, and the smallest products the JavaScript kernel blocks (4×1200×3). All are
// products gemmBatch gives the wasm kernel (wasmGemmBatch itself does not check).
const SIZES: [number, number, number][] = [
  [6, 24, 96],
  [7, 400, 5],
  [13, 257, 9],
  [MC + 1, 2 * KC + 1, 33],
  [2 * MC + 1, KC, 4],
  [5, 3 * KC + 1, 1100],
  [50, 1000, 3],
  [4, 1200, 3],
  [101, 1, 1000],
  [96, 96, 96],
];

describe('the WebAssembly SIMD gemm', () => {
  it('loads in Node (WebAssembly SIMD is on in every Node ≥ 16.4) and is the default', () => {
    expect(wasmGemm()).not.toBeNull();
    expect(cpuWasm()).toBe(true);
    expect(TILES.float64.mr).toBe(TILES.float32.mr);
    expect(kBlock(513)).toBe(171);
  });

  it('is off with setCpuWasm(false) and DDOPT_CPU_WASM=0, and refuses other values of DDOPT_CPU_WASM', () => {
    setCpuWasm(false);
    expect(cpuWasm()).toBe(false);
    const before = process.env.DDOPT_CPU_WASM;
    try {
      process.env.DDOPT_CPU_WASM = '0';
      setCpuWasm('auto');
      expect(cpuWasm()).toBe(false);
      process.env.DDOPT_CPU_WASM = '1';
      setCpuWasm('auto');
      expect(cpuWasm()).toBe(true);
      process.env.DDOPT_CPU_WASM = 'yes';
      setCpuWasm('auto');
      expect(() => cpuWasm()).toThrow("DDOPT_CPU_WASM: expected 0 or 1, got 'yes'");
    } finally {
      if (before === undefined) delete process.env.DDOPT_CPU_WASM;
      else process.env.DDOPT_CPU_WASM = before;
    }
  });

  it('takes exactly the products the JavaScript kernel blocks (n ≥ 3, m ≥ 4, m·k·n ≥ 24³)', () => {
    expect(wasmEligible(4, 1200, 3)).toBe(true);
    expect(wasmEligible(4, 1000, 3)).toBe(false);
    expect(wasmEligible(3, 5000, 64)).toBe(false);
    expect(wasmEligible(64, 5000, 2)).toBe(false);
    expect(wasmEligible(24, 24, 24)).toBe(true);
    expect(wasmEligible(23, 24, 24)).toBe(false);
  });

  for (const [m, k, n] of SIZES) {
    it(`float64 ${m}×${k}×${n}: bit-identical to the JavaScript gemm (same summation order)`, () => {
      expect(wasmEligible(m, k, n)).toBe(true);
      const a = random(Float64Array, m * k, m + k);
      const b = random(Float64Array, k * n, k + n);
      const js = new Float64Array(m * n);
      const wasm = new Float64Array(m * n);
      jsGemm(a, 0, b, 0, js, 0, m, k, n);
      expect(wasmGemmBatch(wasmGemm()!, single(a, b, wasm, m, k, n))).toBe(true);
      expect(same(wasm, js)).toBe(true);
      expect(worstRelative(wasm, a, b, m, k, n)).toBeLessThan(1e-13);
    });

    it(`float32 ${m}×${k}×${n}: within γ_K·Σ|a||b| of the exact product`, () => {
      const a = random(Float32Array, m * k, m + k);
      const b = random(Float32Array, k * n, k + n);
      const wasm = new Float32Array(m * n);
      expect(wasmGemmBatch(wasmGemm()!, single(a, b, wasm, m, k, n))).toBe(true);
      expect(worstRelative(wasm, a, b, m, k, n)).toBeLessThanOrEqual(float32Bound(k));
    });
  }

  it('batches as the backend calls them: a shared by all items (conv2d), b shared, offsets, gaps in c', () => {
    const [batch, m, k, n] = [3, 37, 290, 21];
    for (const ctor of [Float64Array, Float32Array]) {
      for (const [aStride, bStride] of [
        [m * k + 5, k * n + 3],
        [0, k * n],
        [m * k, 0],
      ] as const) {
        const a = random(ctor, 2 + (batch - 1) * aStride + m * k, 1);
        const b = random(ctor, 3 + (batch - 1) * bStride + k * n, 2);
        const cStride = m * n + 7;
        const product = (wasm: boolean) => {
          setCpuWasm(wasm);
          const c = new ctor(1 + batch * cStride).fill(-5);
          gemmBatch({ a, aOff: 2, aStride, b, bOff: 3, bStride, c, cOff: 1, cStride, batch, m, k, n });
          return c;
        };
        const wasm = product(true);
        const js = product(false);
        const what = `${ctor.name} aStride ${aStride} bStride ${bStride}`;
        expect(wasm[0], what).toBe(-5);
        for (let i = 0; i < batch; i++) {
          const at = 1 + i * cStride;
          expect(Array.from(wasm.subarray(at + m * n, at + cStride)), what).toEqual(new Array(7).fill(-5));
          const got = wasm.subarray(at, at + m * n);
          const ai = a.subarray(2 + i * aStride, 2 + i * aStride + m * k);
          const bi = b.subarray(3 + i * bStride, 3 + i * bStride + k * n);
          expect(worstRelative(got, ai, bi, m, k, n), what).toBeLessThanOrEqual(ctor === Float64Array ? 1e-13 : float32Bound(k));
        }
        if (ctor === Float64Array) expect(same(wasm, js), what).toBe(true);
      }
    }
  });

  for (const ctor of [Float64Array, Float32Array]) {
    it(`${ctor.name}: one thread and all of them (${cpuThreads()}) give the same bits, on shared wasm memory`, () => {
      // Above the wasm kernel's 192³ threshold for threads, ragged rows, a row cut inside an item.
      for (const [batch, m, k, n] of [
        [1, 201, 197, 203],
        [3, 101, 300, 90],
        [1, 257, 520, 61],
      ] as const) {
        const a = random(ctor, batch * m * k, m);
        const b = random(ctor, batch * k * n, n);
        const product = (cap: number) => {
          capGemmThreads(cap);
          const c = new ctor(batch * m * n);
          gemmBatch({ a, aOff: 0, aStride: m * k, b, bOff: 0, bStride: k * n, c, cOff: 0, cStride: m * n, batch, m, k, n });
          return c;
        };
        const before = sharedProductCount();
        const many = product(Number.POSITIVE_INFINITY);
        if (cpuThreads() > 1) {
          expect(wasmGemm()?.shared).toBe(true);
          expect(sharedProductCount()).toBe(before + 1);
        }
        const one = product(1);
        expect(same(many, one), `${batch}×${m}×${k}×${n}`).toBe(true);
      }
    });
  }

  for (const dtype of ['float64', 'float32'] as const) {
    it(`propagates NaN and Inf as IEEE says on the wasm path (Inf·0 = NaN), ${dtype}`, () => {
      const [m, k, n] = [8, 300, 8];
      const a = new Float64Array(m * k).fill(1);
      const b = new Float64Array(k * n).fill(1);
      a[0] = Number.POSITIVE_INFINITY; // row 0: Inf·b[0, j]
      b[0] = 0; // column 0 of row 0: Inf·0
      b[k * n - 1] = Number.NaN; // column n−1 of every row
      const c = run('matmul', [t(a, [m, k], dtype), t(b, [k, n], dtype)], none).dataSync();
      expect(c[0]).toBeNaN();
      expect(c[1]).toBe(Number.POSITIVE_INFINITY);
      expect(c[n - 1]).toBeNaN();
      expect(c[n]).toBe(k - 1);
      expect(c[2 * n - 1]).toBeNaN();
    });
  }

  it('matmul and conv2d kernels give the same float64 bits with the wasm kernel on and off', () => {
    const r = rng(4);
    const x = t(Array.from({ length: 2 * 70 * 300 }, () => r()), [2, 70, 300]);
    const y = t(Array.from({ length: 2 * 300 * 50 }, () => r()), [2, 300, 50]);
    setCpuWasm(true);
    const mw = run('matmul', [x, y], none).dataSync() as Float64Array;
    setCpuWasm(false);
    const mj = run('matmul', [x, y], none).dataSync() as Float64Array;
    expect(same(mw, mj)).toBe(true);
  });

  // conv2d on the wasm kernel writes the unfolded input straight into packed panels (im2colPacked).
  for (const [name, xs, ws, attrs] of [
    ['3×3, padding 1', [4, 8, 12, 12], [16, 8, 3, 3], { stride: [1, 1], padding: [[1, 1], [1, 1]], dilation: [1, 1], groups: 1 }],
    ['groups 2, stride 2, dilation 2, uneven padding', [3, 6, 41, 39], [8, 3, 3, 2], { stride: [2, 2], padding: [[2, 1], [0, 3]], dilation: [2, 2], groups: 2 }],
    ['k-blocks: 40 channels × 3×3 = 360 rows', [2, 40, 9, 11], [12, 40, 3, 3], { stride: [1, 1], padding: [[1, 1], [1, 1]], dilation: [1, 1], groups: 1 }],
    ['1×1, 70 channels, 47 output positions', [5, 70, 1, 47], [9, 70, 1, 1], { stride: [1, 1], padding: [[0, 0], [0, 0]], dilation: [1, 1], groups: 1 }],
    // Output rows of whole slivers (16 wide: 4 float64 or 2 float32 slivers) take im2colPacked's sliver loop.
    ['3×3, padding 1, 16-wide output (whole slivers)', [2, 5, 16, 16], [8, 5, 3, 3], { stride: [1, 1], padding: [[1, 1], [1, 1]], dilation: [1, 1], groups: 1 }],
    ['3×3, stride 2, padding 1, 16-wide output (whole slivers)', [2, 3, 31, 31], [8, 3, 3, 3], { stride: [2, 2], padding: [[1, 1], [1, 1]], dilation: [1, 1], groups: 1 }],
    // Kernels larger than the output (a weight cotangent's shape) take the transposed product (im2colT).
    ['16×16 kernel, 3×3 output, 20 k-blocks (transposed)', [3, 20, 16, 16], [8, 20, 16, 16], { stride: [1, 1], padding: [[1, 1], [1, 1]], dilation: [1, 1], groups: 1 }],
    ['9×7 kernel, groups 2, stride, dilation, uneven padding (transposed)', [2, 4, 20, 19], [8, 2, 9, 7], { stride: [1, 2], padding: [[1, 0], [2, 1]], dilation: [2, 1], groups: 2 }],
  ] as const) {
    it(`conv2d ${name}: the same float64 bits with the wasm kernel on and off, float32 within its bound`, () => {
      const r = rng(xs[1]);
      const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
      const xv = Array.from({ length: size(xs) }, () => r());
      const wv = Array.from({ length: size(ws) }, () => r());
      let shape: readonly number[] = [];
      const conv = (wasm: boolean, dtype: 'float32' | 'float64') => {
        setCpuWasm(wasm);
        const y = run('conv2d', [t(xv, xs, dtype), t(wv, ws, dtype)], attrs as never);
        shape = y.shape;
        return y.dataSync();
      };
      const [O, CG, KH, KW] = ws;
      const j64 = conv(false, 'float64');
      // The products must be ones the wasm kernel takes, or this compares JavaScript with itself.
      expect(wasmEligible(O / attrs.groups, CG * KH * KW, shape[2]! * shape[3]!)).toBe(true);
      if (name.endsWith('(transposed)')) expect(KH * KW > shape[2]! * shape[3]! && wasmEligible(shape[2]! * shape[3]!, CG * KH * KW, O / attrs.groups)).toBe(true);
      expect(same(conv(true, 'float64') as Float64Array, j64 as Float64Array)).toBe(true);
      const w32 = conv(true, 'float32');
      const k = CG * KH * KW;
      // |x|, |w| < 1, so Σ|x||w| ≤ k; rounding the inputs to float32 moves each product by at most 2^-23.
      const bound = float32Bound(k) * k + 2 ** -23 * k;
      w32.forEach((v, i) => {
        expect(Math.abs(v - j64[i]!)).toBeLessThanOrEqual(bound);
      });
    });
  }
});
