import { output } from '../buffer-pool.js';
import type { Kernel } from '../kernel.js';
import { wasmEligible } from '../wasm/gemm-wasm.js';
import { TILES } from '../wasm/layout.js';
import { cpuWasm, type GemmExports } from '../wasm/module.js';
import { type ConvGeometry, im2col, im2colPacked, packTransposed } from './im2col.js';
import { gemmBatch, gemmBatchPacked, gemmOperand } from './matmul-parallel.js';

type Floats = Float32Array | Float64Array;

// Samples are unfolded a chunk at a time into cols of at most this many elements (8 MiB of
// float64): enough rows of gemm work per chunk for the worker threads, without holding the
// whole unfolded batch.
const COLS_MAX = 1 << 20;
// Rows (samples × output positions) of one chunk of the transposed product.
const TRANSPOSED_ROWS = 256;

/**
 * conv2d (cross-correlation) of x [N, C, H, W] with w [O, C/groups, KH, KW] → [N, O, OH, OW],
 * with stride, explicit padding [[top, bottom], [left, right]], dilation and groups. For a chunk
 * of S samples: im2col unfolds each sample into its own [C·KH·KW, OH·OW] block of cols; then per
 * group one batched gemm over the samples multiplies the group's weights [O/groups, C/groups·KH·KW]
 * by the group's rows of each block, writing the samples' [O, OH·OW] planes (NCHW) of the output.
 * On the wasm kernel the unfolding writes each group's rows straight into the kernel's packed
 * panels instead (the same values, in the layout the kernel would have packed them into).
 * A kernel window larger than the output (conv2d's weight cotangent correlates the input with
 * the output gradient: a 32×32 kernel, a 3×3 output) goes through the transposed product on the
 * wasm kernel, outᵀ [OH·OW, O/groups] = colsᵀ · weightsᵀ, which unfolds by contiguous runs of the
 * input rows (im2colT) instead of scattering single values; every element is the same sum of the
 * same products in the same order, so the bits are the same (both products take the blocked path).
 */
export const conv2d: Kernel<'conv2d'> = ([x, w], { stride, padding, dilation, groups }, out) => {
  if (x!.dtype !== 'float32' && x!.dtype !== 'float64') throw new TypeError(`conv2d: expects float tensors, got ${x!.dtype}`);
  const [N, C, H, W] = x!.shape as [number, number, number, number];
  const [O, CG, KH, KW] = w!.shape as [number, number, number, number];
  const [, , OH, OW] = out.shape as [number, number, number, number];
  const xd = x!.data as Floats;
  const wd = w!.data as Floats;
  const o = output(out.dtype, N * O * OH * OW) as Floats;
  const OG = O / groups;
  const K = CG * KH * KW;
  const P = OH * OW;
  if (o.length === 0) return o;
  const bytes = o instanceof Float64Array ? 8 : 4;
  const nr = (bytes === 8 ? TILES.float64 : TILES.float32).nr;
  const geometry: ConvGeometry = { h: H, w: W, kh: KH, kw: KW, stride, padTop: padding[0][0], padLeft: padding[1][0], dilation, oh: OH, ow: OW };
  const unfolded = C * KH * KW * P;
  // Balanced chunks: 64 samples that fit 37 at a time go as 32 + 32.
  const chunks = Math.ceil(N / Math.max(1, Math.floor(COLS_MAX / unfolded)));
  const S = Math.ceil(N / chunks);
  // In shared memory when the JavaScript gemms are split among threads, so it is not copied there.
  // im2col writes every element of cols. The gemms write the output directly (the threaded paths
  // copy their result into it once, as a separate product array would have needed).
  const ctor = out.dtype === 'float32' ? Float32Array : Float64Array;
  let cols: Floats | undefined;
  if (KH * KW > P && wasmEligible(OG, K, P) && wasmEligible(P, K, OG) && cpuWasm()) {
    // Each chunk packs the weights again (O·K values against s·P·O·K multiply-adds): at least
    // TRANSPOSED_ROWS rows of product per chunk, or all samples at once.
    const ST = Math.min(N, Math.max(S, Math.ceil(TRANSPOSED_ROWS / P)));
    let done = true;
    for (let n0 = 0; n0 < N && done; n0 += ST) done = transposedChunk(xd, wd, o, geometry, n0, Math.min(ST, N - n0), C, CG, O, OG, K, P, groups);
    if (done) return o;
  }
  for (let n0 = 0; n0 < N; n0 += S) {
    const s = Math.min(S, N - n0);
    // The wasm kernel: each group's unfolded samples are written straight into its packed panels.
    let packed = true;
    // Output rows of whole slivers: the module unfolds the samples itself (unfold_W, the same values).
    const input = OW % nr === 0 ? xd.subarray(n0 * C * H * W, (n0 + s) * C * H * W) : undefined;
    for (let g = 0; g < groups && packed; g++) {
      const fill = (i: number, panel: Floats, kb: number, nr: number) => im2colPacked(xd, ((n0 + i) * C + g * CG) * H * W, CG, geometry, panel, kb, nr);
      const wasmFill =
        input &&
        ((i: number, ex: GemmExports, at: number, inAt: number, kb: number) =>
          (bytes === 8 ? ex.unfold_f64 : ex.unfold_f32)(inAt + (i * C + g * CG) * H * W * bytes, CG, H, W, KH, KW, stride[0], stride[1], padding[0][0], padding[1][0], dilation[0], dilation[1], OH, OW, kb, at));
      packed = gemmBatchPacked({ a: wd, aOff: g * OG * K, aStride: 0, c: o, cOff: (n0 * O + g * OG) * P, cStride: O * P, batch: s, m: OG, k: K, n: P, fill, input, wasmFill });
    }
    if (packed) continue;
    cols ??= gemmOperand('b', ctor, S * unfolded, S * O * K * P);
    for (let i = 0; i < s; i++) im2col(xd, (n0 + i) * C * H * W, C, geometry, cols, i * unfolded);
    for (let g = 0; g < groups; g++) {
      // Sample n0 + i, group g: weights rows [g·OG, (g+1)·OG) · cols rows [g·K, (g+1)·K) of block i → o[n0 + i, g·OG:(g+1)·OG].
      gemmBatch({ a: wd, aOff: g * OG * K, aStride: 0, b: cols, bOff: g * K * P, bStride: unfolded, c: o, cOff: (n0 * O + g * OG) * P, cStride: O * P, batch: s, m: OG, k: K, n: P });
    }
  }
  return o;
};

/**
 * Samples [n0, n0 + s) as outᵀ = colsᵀ · weightsᵀ per group on the wasm kernel (see conv2d);
 * false (nothing written) when the wasm kernel does not take the product.
 */
function transposedChunk(xd: Floats, wd: Floats, o: Floats, geometry: ConvGeometry, n0: number, s: number, C: number, CG: number, O: number, OG: number, K: number, P: number, groups: number): boolean {
  const { h, w } = geometry;
  const ctor = o instanceof Float32Array ? Float32Array : Float64Array;
  const bytes = ctor.BYTES_PER_ELEMENT;
  const ct = new ctor(s * P * OG);
  for (let g = 0; g < groups; g++) {
    // colsᵀ of each sample is written straight into the module's memory as the product's A, by
    // the module from the chunk's input planes (unfold_t_W, the same values as im2colT).
    const aFill = (_colsT: Floats, ex: GemmExports, aAt: number, inAt: number) => {
      const unfoldT = bytes === 8 ? ex.unfold_t_f64 : ex.unfold_t_f32;
      for (let i = 0; i < s; i++) unfoldT(inAt + (i * C + g * CG) * h * w * bytes, CG, h, w, geometry.kh, geometry.kw, geometry.stride[0], geometry.stride[1], geometry.padTop, geometry.padLeft, geometry.dilation[0], geometry.dilation[1], geometry.oh, geometry.ow, aAt + i * P * K * bytes);
    };
    const input = xd.subarray(n0 * C * h * w, (n0 + s) * C * h * w);
    const fill = (_t: number, panel: Floats, kb: number, nr: number) => packTransposed(wd, g * OG * K, OG, K, panel, kb, nr);
    if (!gemmBatchPacked({ a: new ctor(0), aOff: 0, aStride: P * K, aFill, input, c: ct, cOff: 0, cStride: P * OG, batch: s, m: P, k: K, n: OG, fill, fillOnce: true })) return false;
    for (let i = 0; i < s; i++) {
      for (let q = 0; q < P; q++) {
        const src = (i * P + q) * OG;
        const dst = ((n0 + i) * O + g * OG) * P + q;
        for (let oo = 0; oo < OG; oo++) o[dst + oo * P] = ct[src + oo]!;
      }
    }
  }
  return true;
}
