import { allocate } from '../../../dtype.js';
import type { Kernel } from '../kernel.js';
import { type ConvGeometry, im2col } from './im2col.js';
import { gemmBatch, gemmOperand } from './matmul-parallel.js';

type Floats = Float32Array | Float64Array;

// Samples are unfolded together into one cols matrix of at most this many elements (8 MiB of
// float64), so one gemm per group covers many samples: wide enough for the gemm's column panels
// and for matmul's worker threads, small enough not to hold the whole unfolded batch.
const COLS_MAX = 1 << 20;

/**
 * conv2d (cross-correlation) of x [N, C, H, W] with w [O, C/groups, KH, KW] → [N, O, OH, OW],
 * with stride, explicit padding [[top, bottom], [left, right]], dilation and groups. For a chunk
 * of S samples: im2col into a [C·KH·KW, S·OH·OW] matrix (samples side by side), one gemm per group
 * with the group's weights [O/groups, C/groups·KH·KW] (the groups form one gemm batch), then the
 * [groups, O/groups, S, OH·OW] result is copied into the NCHW output.
 */
export const conv2d: Kernel<'conv2d'> = ([x, w], { stride, padding, dilation, groups }, out) => {
  if (x!.dtype !== 'float32' && x!.dtype !== 'float64') throw new TypeError(`conv2d: expects float tensors, got ${x!.dtype}`);
  const [N, C, H, W] = x!.shape as [number, number, number, number];
  const [O, CG, KH, KW] = w!.shape as [number, number, number, number];
  const [, , OH, OW] = out.shape as [number, number, number, number];
  const xd = x!.data as Floats;
  const wd = w!.data as Floats;
  const o = allocate(out.dtype, N * O * OH * OW) as Floats;
  const OG = O / groups;
  const K = CG * KH * KW;
  const P = OH * OW;
  if (o.length === 0) return o;
  const geometry: ConvGeometry = { h: H, w: W, kh: KH, kw: KW, stride, padTop: padding[0][0], padLeft: padding[1][0], dilation, oh: OH, ow: OW };
  // Balanced chunks: 64 samples that fit 37 at a time go as 32 + 32.
  const chunks = Math.ceil(N / Math.max(1, Math.floor(COLS_MAX / (C * KH * KW * P))));
  const S = Math.ceil(N / chunks);
  // In shared memory when the per-chunk gemm is split among threads, so it is not copied there.
  // im2col writes every element of cols and the gemm every element of prod.
  const ctor = out.dtype === 'float32' ? Float32Array : Float64Array;
  const work = O * K * S * P;
  const cols = gemmOperand('b', ctor, C * KH * KW * S * P, work);
  const prod = gemmOperand('c', ctor, O * S * P, work);
  for (let n0 = 0; n0 < N; n0 += S) {
    const s = Math.min(S, N - n0);
    const width = s * P;
    for (let i = 0; i < s; i++) im2col(xd, (n0 + i) * C * H * W, C, geometry, cols, i * P, width);
    // Group g: weights rows [g·OG, (g+1)·OG) times cols rows [g·K, (g+1)·K) → prod [g, OG, s·P].
    gemmBatch({ a: wd, aOff: 0, aStride: OG * K, b: cols, bOff: 0, bStride: K * width, c: prod, cOff: 0, cStride: OG * width, batch: groups, m: OG, k: K, n: width });
    for (let oc = 0; oc < O; oc++) {
      for (let i = 0; i < s; i++) o.set(prod.subarray(oc * width + i * P, oc * width + (i + 1) * P), ((n0 + i) * O + oc) * P);
    }
  }
  return o;
};
