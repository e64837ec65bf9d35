import { allocate } from '../../../dtype.js';
import type { Kernel } from '../kernel.js';

/**
 * conv2d (cross-correlation) of x [N, C, H, W] with w [O, C/groups, KH, KW] → [N, O, OH, OW],
 * with stride, explicit padding [[top, bottom], [left, right]], dilation and groups.
 */
export const conv2d: Kernel<'conv2d'> = ([x, w], { stride, padding, dilation, groups }, out) => {
  const [N, C, H, W] = x!.shape as [number, number, number, number];
  const [O, CG, KH, KW] = w!.shape as [number, number, number, number];
  const [, , OH, OW] = out.shape as [number, number, number, number];
  const xd = x!.data;
  const wd = w!.data;
  const o = allocate(out.dtype, N * O * OH * OW);
  const OG = O / groups;
  for (let n = 0; n < N; n++) {
    for (let oc = 0; oc < O; oc++) {
      const g = Math.floor(oc / OG);
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let s = 0;
          for (let ci = 0; ci < CG; ci++) {
            const c = g * CG + ci;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * stride[0] - padding[0][0] + kh * dilation[0];
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * stride[1] - padding[1][0] + kw * dilation[1];
                if (iw < 0 || iw >= W) continue;
                s += xd[((n * C + c) * H + ih) * W + iw]! * wd[((oc * CG + ci) * KH + kh) * KW + kw]!;
              }
            }
          }
          o[((n * O + oc) * OH + oh) * OW + ow] = s;
        }
      }
    }
  }
  return o;
};
