import type * as tfc from '@tensorflow/tfjs-core';
import type { Attrs } from '../../primitives.js';

type Tf = typeof tfc;
type T4 = tfc.Tensor4D;

/**
 * conv2d in ddopt's NCHW / OIHW layout on tfjs's NHWC kernels: explicit padding with `pad`,
 * then 'valid'; groups as one depthwise conv (groups = channels) or one conv per group.
 */
export function conv2d(tf: Tf, x: tfc.Tensor, w: tfc.Tensor, { stride, padding, dilation, groups }: Attrs<'conv2d'>): tfc.Tensor {
  const [o, ci, kh, kw] = w.shape as [number, number, number, number];
  let xs = tf.transpose(x, [0, 2, 3, 1]) as T4;
  if (padding.some(([lo, hi]) => lo !== 0 || hi !== 0)) xs = tf.pad(xs, [[0, 0], padding[0], padding[1], [0, 0]]);
  // tfjs refuses stride > 1 together with dilation > 1: run at stride 1, then subsample.
  const both = stride.some((s) => s > 1) && dilation.some((d) => d > 1);
  const strides: [number, number] = both ? [1, 1] : stride;
  let y: T4;
  if (groups === 1) {
    y = tf.conv2d(xs, tf.transpose(w, [2, 3, 1, 0]) as T4, strides, 'valid', 'NHWC', dilation);
  } else if (ci === 1) {
    // Depthwise: output channel c·m + j reads input channel c, which is tfjs's order too.
    const f = tf.transpose(tf.reshape(w, [groups, o / groups, kh, kw]), [2, 3, 0, 1]) as T4;
    y = tf.depthwiseConv2d(xs, f, strides, 'valid', 'NHWC', dilation);
  } else {
    const xg = tf.split(xs, groups, 3);
    const wg = tf.split(w, groups, 0);
    y = tf.concat(xg.map((xi, g) => tf.conv2d(xi as T4, tf.transpose(wg[g]!, [2, 3, 1, 0]) as T4, strides, 'valid', 'NHWC', dilation)), 3);
  }
  if (both) {
    const [n, h, wd, c] = y.shape;
    y = tf.stridedSlice(y, [0, 0, 0, 0], [n, h, wd, c], [1, stride[0], stride[1], 1]) as T4;
  }
  return tf.transpose(y, [0, 3, 1, 2]);
}
