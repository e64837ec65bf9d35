import { type Attrs, type Tensor, add, bind, reshape, transpose } from '@ddopt/tensor';
import type { JvpRule, VjpRule } from './types.js';

const conv = (x: Tensor, w: Tensor, attrs: Attrs<'conv2d'>): Tensor => bind('conv2d', [x, w], attrs);

/** Inserts `s − 1` zeros after every element of axes 2 and 3 (spatial), with reshape + pad. */
function dilate(g: Tensor, [sh, sw]: readonly [number, number]): Tensor {
  if (sh === 1 && sw === 1) return g;
  const [n, c, h, w] = g.shape as [number, number, number, number];
  const spread = bind('pad', [reshape(g, [n, c, h, 1, w, 1])], {
    paddings: [[0, 0], [0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1]],
    value: 0,
  });
  return reshape(spread, [n, c, h * sh, w * sw]);
}

/**
 * Pads (amount ≥ 0) or crops (amount < 0) the spatial axes of `x` by [[top, bottom], [left, right]],
 * returning the non-negative part as conv padding and applying crops with a slice.
 */
function cropNegative(x: Tensor, amounts: [[number, number], [number, number]]): [Tensor, [[number, number], [number, number]]] {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [[t, b], [l, r]] = amounts;
  const cropped =
    t < 0 || b < 0 || l < 0 || r < 0
      ? bind('slice', [x], {
          begin: [0, 0, Math.max(-t, 0), Math.max(-l, 0)],
          size: [n, c, h - Math.max(-t, 0) - Math.max(-b, 0), w - Math.max(-l, 0) - Math.max(-r, 0)],
        })
      : x;
  return [
    cropped,
    [
      [Math.max(t, 0), Math.max(b, 0)],
      [Math.max(l, 0), Math.max(r, 0)],
    ],
  ];
}

/**
 * d conv / d x: a transposed convolution written with forward primitives — dilate g by the
 * stride, pad it by dilation·(k − 1) (less the forward padding; extra rows the forward pass
 * never read get zeros), and correlate with the flipped kernel whose in/out channels are
 * swapped within each group, at stride 1 and the forward dilation.
 */
function inputCotangent(g: Tensor, x: Tensor, w: Tensor, { stride, padding, dilation, groups }: Attrs<'conv2d'>): Tensor {
  const [, c, h, wd] = x.shape as [number, number, number, number];
  const [o, cg, kh, kw] = w.shape as [number, number, number, number];
  const [, , oh, ow] = g.shape as [number, number, number, number];
  const og = o / groups;
  const kernel = bind('reverse', [reshape(transpose(reshape(w, [groups, og, cg, kh, kw]), [0, 2, 1, 3, 4]), [c, og, kh, kw])], { axes: [2, 3] });
  const span = (d: number, k: number) => d * (k - 1);
  // Rows of the padded input that the last output window does not reach, per side.
  const unusedH = h + padding[0][0] + padding[0][1] - ((oh - 1) * stride[0] + span(dilation[0], kh) + 1);
  const unusedW = wd + padding[1][0] + padding[1][1] - ((ow - 1) * stride[1] + span(dilation[1], kw) + 1);
  // The dilated g carries stride − 1 trailing zeros past the last output, hence the subtraction.
  const [gc, pads] = cropNegative(dilate(g, stride), [
    [span(dilation[0], kh) - padding[0][0], span(dilation[0], kh) + unusedH - padding[0][1] - (stride[0] - 1)],
    [span(dilation[1], kw) - padding[1][0], span(dilation[1], kw) + unusedW - padding[1][1] - (stride[1] - 1)],
  ]);
  return conv(gc, kernel, { stride: [1, 1], padding: pads, dilation, groups });
}

/**
 * d conv / d w: per group, correlate the input (batch and channel axes swapped) with g as the
 * kernel; the forward stride becomes the dilation and the forward dilation the stride.
 */
function weightCotangent(g: Tensor, x: Tensor, w: Tensor, { stride, padding, dilation, groups }: Attrs<'conv2d'>): Tensor {
  const [n, , h, wd] = x.shape as [number, number, number, number];
  const [o, cg, kh, kw] = w.shape as [number, number, number, number];
  const [, , oh, ow] = g.shape as [number, number, number, number];
  const og = o / groups;
  const xs = reshape(transpose(reshape(x, [n, groups, cg, h, wd]), [2, 1, 0, 3, 4]), [cg, groups * n, h, wd]);
  const gs = reshape(transpose(reshape(g, [n, groups, og, oh, ow]), [1, 2, 0, 3, 4]), [o, n, oh, ow]);
  const full = conv(xs, gs, { stride: dilation, padding, dilation: stride, groups });
  // The correlation may reach past the kernel's extent (rows the forward pass skipped): crop.
  const dw = full.shape[2] === kh && full.shape[3] === kw ? full : bind('slice', [full], { begin: [0, 0, 0, 0], size: [cg, o, kh, kw] });
  return transpose(dw, [1, 0, 2, 3]);
}

export const conv2dVjp: VjpRule<'conv2d'> = (g, [x, w], _y, attrs, needs) => [
  needs[0] ? inputCotangent(g, x!, w!, attrs) : undefined,
  needs[1] ? weightCotangent(g, x!, w!, attrs) : undefined,
];

/** Bilinear in (x, w). */
export const conv2dJvp: JvpRule<'conv2d'> = ([tx, tw], [x, w], _y, attrs) => {
  const l = tx && conv(tx, w!, attrs);
  const r = tw && conv(x!, tw, attrs);
  return l && r ? add(l, r) : (l ?? r);
};
