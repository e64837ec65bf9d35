import { allocate } from '../../../dtype.js';
import type { Kernel } from '../kernel.js';
import { type ConvGeometry, im2col } from './im2col.js';
import { gemm } from './matmul.js';

type Floats = Float32Array | Float64Array;

/**
 * conv2d (cross-correlation) of x [N, C, H, W] with w [O, C/groups, KH, KW] → [N, O, OH, OW],
 * with stride, explicit padding [[top, bottom], [left, right]], dilation and groups. Per sample
 * and group: im2col into a [C/groups·KH·KW, OH·OW] buffer, then one gemm with the group's
 * weights [O/groups, C/groups·KH·KW] writes the group's output planes in place.
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
  // A 1×1 kernel with unit stride and no padding reads the input planes as they are.
  const direct = KH === 1 && KW === 1 && stride[0] === 1 && stride[1] === 1 && padding.every(([lo, hi]) => lo === 0 && hi === 0);
  const cols = direct ? xd : (allocate(out.dtype, K * P) as Floats);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * C + g * CG) * H * W;
      if (!direct) im2col(xd, xOff, CG, geometry, cols);
      gemm(wd, g * OG * K, cols, direct ? xOff : 0, o, (n * O + g * OG) * P, OG, K, P);
    }
  }
  return o;
};
