import { bind } from '../dispatch.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { flip, reshape, transpose } from './movement.js';
import { pad, slice } from './indexing.js';
import { type ConvPadding, convOutputSize, convPadding, paddingOption } from '../validate/conv.js';
import { type OptionSpec, checkOptions, option } from '../validate/options.js';
import { type Pair, pair, pairOption } from '../validate/pair.js';
import { assertFloat, assertTensor } from '../validate/tensor.js';

export type { ConvPadding } from '../validate/conv.js';
export type { Pair } from '../validate/pair.js';

/** Options of conv2d; each number-or-pair option applies to [height, width]. */
export interface Conv2dOptions {
  stride?: Pair;
  padding?: ConvPadding;
  dilation?: Pair;
  groups?: number;
}

/** Options of conv1d. */
export interface Conv1dOptions {
  stride?: number;
  /** All sides, [left, right], or a mode. */
  padding?: number | readonly [number, number] | 'valid' | 'same';
  dilation?: number;
  groups?: number;
}

/** Options of convTranspose2d, named as for the conv2d it transposes. */
export interface ConvTranspose2dOptions {
  stride?: Pair;
  padding?: Pair;
  /** Extra rows/columns added at the bottom/right of the output (each < max(stride, dilation)). */
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
}

const CONV2D: OptionSpec<Conv2dOptions> = { stride: pairOption(1), padding: paddingOption(), dilation: pairOption(1), groups: option.int(1) };
const CONV1D: OptionSpec<Conv1dOptions> = {
  stride: option.int(1),
  padding: option.anyOf(option.int(0), option.pairOf(option.int(0)), option.oneOf(['valid', 'same'])),
  dilation: option.int(1),
  groups: option.int(1),
};
const CONV_T2D: OptionSpec<ConvTranspose2dOptions> = { stride: pairOption(1), padding: pairOption(0), outputPadding: pairOption(0), dilation: pairOption(1), groups: option.int(1) };

/** Checks an NCHW input against an OIHW-like weight of one float dtype. */
function checkOperands(op: string, x: Tensor, w: Tensor, xLayout: string, wLayout: string): void {
  assertTensor(op, 'x', x);
  assertTensor(op, 'weight', w);
  const r = xLayout.length;
  if (x.rank !== r) throw new RangeError(`${op}: x must have rank ${r} (${xLayout}), got ${fmtShape(x.shape)}`);
  if (w.rank !== r) throw new RangeError(`${op}: weight must have rank ${r} (${wLayout}), got ${fmtShape(w.shape)}`);
  assertFloat(op, 'x', x);
  if (w.dtype !== x.dtype) throw new TypeError(`${op}: x is ${x.dtype} but weight is ${w.dtype}; cast one explicitly`);
}

/** 2-D convolution (cross-correlation) of x [N, C, H, W] with weight [O, C/groups, KH, KW]. */
export function conv2d(x: Tensor, weight: Tensor, options?: Conv2dOptions): Tensor {
  checkOperands('conv2d', x, weight, 'NCHW', 'OIHW');
  return conv2dAs('conv2d', x, weight, checkOptions('conv2d', options, CONV2D), x, weight);
}

// conv2d on checked options; errors name `op` and show the caller's own tensors `shownX`, `shownW`.
function conv2dAs(op: string, x: Tensor, weight: Tensor, options: Conv2dOptions, shownX: Tensor, shownW: Tensor): Tensor {
  const groups = options.groups ?? 1;
  const [, c, h, wd] = x.shape as [number, number, number, number];
  const [o, ci, kh, kw] = weight.shape as [number, number, number, number];
  if (c % groups !== 0 || o % groups !== 0 || ci * groups !== c) {
    throw new RangeError(`${op}: x ${fmtShape(shownX.shape)} has ${c} channels and weight ${fmtShape(shownW.shape)} expects ${ci}×${groups} groups = ${ci * groups} (and ${o} outputs divisible by ${groups})`);
  }
  const stride = pair(op, 'stride', options.stride, 1, 1);
  const dilation = pair(op, 'dilation', options.dilation, 1, 1);
  const padding = convPadding(op, options.padding, [kh, kw], stride, dilation);
  convOutputSize(op, [h, wd], [kh, kw], { stride, padding, dilation });
  return bind('conv2d', [x, weight], { stride, padding, dilation, groups });
}

/** 1-D convolution of x [N, C, L] with weight [O, C/groups, K], as a conv2d of height 1. */
export function conv1d(x: Tensor, weight: Tensor, given?: Conv1dOptions): Tensor {
  checkOperands('conv1d', x, weight, 'NCL', 'OIK');
  const options = checkOptions('conv1d', given, CONV1D);
  const p = options.padding;
  let padding: ConvPadding | undefined;
  if (p === undefined || typeof p === 'string') padding = p;
  else if (typeof p === 'number') padding = [[0, 0], [p, p]];
  else padding = [[0, 0], [p[0], p[1]]];
  const one = (v: number | undefined): Pair | undefined => (v === undefined ? undefined : [1, v]);
  const [n, c, l] = x.shape as [number, number, number];
  const [o, ci, k] = weight.shape as [number, number, number];
  const y = conv2dAs('conv1d', reshape(x, [n, c, 1, l]), reshape(weight, [o, ci, 1, k]), { stride: one(options.stride), dilation: one(options.dilation), padding, groups: options.groups }, x, weight);
  return reshape(y, [y.shape[0]!, y.shape[1]!, y.shape[3]!]);
}

/** Inserts stride−1 zeros between neighbouring pixels of x [N, C, H, W] (reshape + pad + reshape). */
function dilateInput(x: Tensor, stride: [number, number]): Tensor {
  if (stride[0] === 1 && stride[1] === 1) return x;
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const spread = pad(reshape(x, [n, c, h, 1, w, 1]), [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, stride[0] - 1],
    [0, 0],
    [0, stride[1] - 1],
  ]);
  return slice(reshape(spread, [n, c, h * stride[0], w * stride[1]]), [0, 0, 0, 0], [n, c, (h - 1) * stride[0] + 1, (w - 1) * stride[1] + 1]);
}

/**
 * Transposed 2-D convolution (the gradient of conv2d w.r.t. its input) of x [N, C_in, H, W] with
 * weight [C_in, O/groups, KH, KW]: a stride-1 conv2d of the stride-dilated, re-padded input with
 * the spatially flipped, channel-swapped kernel.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, given?: ConvTranspose2dOptions): Tensor {
  const op = 'convTranspose2d';
  checkOperands(op, x, weight, 'NCHW', 'IOHW');
  const options = checkOptions(op, given, CONV_T2D);
  const groups = options.groups ?? 1;
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [ci, og, kh, kw] = weight.shape as [number, number, number, number];
  if (ci !== c || c % groups !== 0) {
    throw new RangeError(`${op}: x ${fmtShape(x.shape)} has ${c} channels but weight ${fmtShape(weight.shape)} has ${ci} input channels (must match and divide by ${groups} groups)`);
  }
  if (h === 0 || wd === 0 || n === 0) throw new RangeError(`${op}: x ${fmtShape(x.shape)} must not be empty`);
  const stride = pair(op, 'stride', options.stride, 1, 1);
  const dilation = pair(op, 'dilation', options.dilation, 1, 1);
  const padding = pair(op, 'padding', options.padding, 0, 0);
  const outPad = pair(op, 'outputPadding', options.outputPadding, 0, 0);
  for (const i of [0, 1]) {
    if (outPad[i]! >= Math.max(stride[i]!, dilation[i]!)) {
      throw new RangeError(`${op}: outputPadding ${fmtShape(outPad)} must be smaller than stride or dilation (${fmtShape(stride)}, ${fmtShape(dilation)})`);
    }
  }
  const k = [kh, kw];
  const lo = [0, 1].map((i) => dilation[i]! * (k[i]! - 1) - padding[i]!);
  const hi = [0, 1].map((i) => lo[i]! + outPad[i]!);
  let xd = dilateInput(x, stride);
  // Negative re-padding means cropping the dilated input.
  const [dh, dw] = [xd.shape[2]!, xd.shape[3]!];
  const crop = [0, 1].map((i) => [Math.max(-lo[i]!, 0), Math.max(-hi[i]!, 0)] as const);
  const keptH = dh - crop[0]![0] - crop[0]![1];
  const keptW = dw - crop[1]![0] - crop[1]![1];
  const outH = (h - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + outPad[0] + 1;
  const outW = (wd - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + outPad[1] + 1;
  if (outH <= 0 || outW <= 0 || keptH <= 0 || keptW <= 0) {
    throw new RangeError(`${op}: padding ${fmtShape(padding)} leaves an empty output (${outH}×${outW}) for x ${fmtShape(x.shape)} and weight ${fmtShape(weight.shape)}`);
  }
  xd = slice(xd, [0, 0, crop[0]![0], crop[1]![0]], [n, c, keptH, keptW]);
  const w = flip(reshape(transpose(reshape(weight, [groups, c / groups, og, kh, kw]), [0, 2, 1, 3, 4]), [groups * og, c / groups, kh, kw]), [2, 3]);
  return bind('conv2d', [xd, w], {
    stride: [1, 1],
    padding: [
      [Math.max(lo[0]!, 0), Math.max(hi[0]!, 0)],
      [Math.max(lo[1]!, 0), Math.max(hi[1]!, 0)],
    ],
    dilation,
    groups,
  });
}
