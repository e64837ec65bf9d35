import { fmtShape } from '../shape.js';
import { fmtValue } from '../validate/value.js';
import type { Tensor } from '../tensor.js';
import { pad, slice, stack } from './indexing.js';
import { reshape } from './movement.js';
import { convOutputSize } from '../validate/conv.js';
import { type Pair, pair, pairOption } from '../validate/pair.js';
import { type OptionSpec, checkOptions } from '../validate/options.js';
import { assertFloat, assertTensor } from '../validate/tensor.js';
import { max, mean } from './reduce.js';

/** Options of maxPool2d and avgPool2d; each number-or-pair option applies to [height, width]. */
export interface Pool2dOptions {
  kernelSize: Pair;
  /** Defaults to kernelSize. */
  stride?: Pair;
  /** Zero-or-more cells on each side, at most half the kernel. */
  padding?: Pair;
}

/**
 * Stacks the kernelSize² strided windows of x [N, C, H, W] along a new leading axis: window
 * (i, j) holds x[:, :, i + s·oh, j + s·ow]. Each is a strided slice made of pad + slice +
 * reshape + slice, since no strided primitive exists.
 */
const POOL: OptionSpec<Pool2dOptions> = { kernelSize: pairOption(1).required(), stride: pairOption(1), padding: pairOption(0) };

function windows(op: string, x: Tensor, given: Pool2dOptions, padValue: number): Tensor {
  assertTensor(op, 'x', x);
  const options = checkOptions(op, given, POOL, { hint: (v) => (typeof v === 'number' || Array.isArray(v) ? `write ${op}(x, { kernelSize: ${fmtValue(v)} })` : undefined) });
  if (x.rank !== 4) throw new RangeError(`${op}: x must have rank 4 (NCHW), got ${fmtShape(x.shape)}`);
  assertFloat(op, 'x', x);
  const k = pair(op, 'kernelSize', options.kernelSize, undefined, 1);
  const s = pair(op, 'stride', options.stride ?? options.kernelSize, 1, 1);
  const p = pair(op, 'padding', options.padding, 0, 0);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  if (p[0] * 2 > k[0] || p[1] * 2 > k[1]) throw new RangeError(`${op}: padding ${fmtShape(p)} must be at most half the kernel ${fmtShape(k)}`);
  const hp = h + 2 * p[0];
  const wp = w + 2 * p[1];
  const [oh, ow] = convOutputSize(op, [h, w], k, {
    stride: s,
    padding: [
      [p[0], p[0]],
      [p[1], p[1]],
    ],
    dilation: [1, 1],
  });
  // Extra cells at the end let every window take s·o rows; they are never selected.
  const extraH = Math.max(0, k[0] - 1 + s[0] * oh - hp);
  const extraW = Math.max(0, k[1] - 1 + s[1] * ow - wp);
  const xp = pad(
    x,
    [
      [0, 0],
      [0, 0],
      [p[0], p[0] + extraH],
      [p[1], p[1] + extraW],
    ],
    padValue,
  );
  const out: Tensor[] = [];
  for (let i = 0; i < k[0]; i++) {
    for (let j = 0; j < k[1]; j++) {
      const block = reshape(slice(xp, [0, 0, i, j], [n, c, s[0] * oh, s[1] * ow]), [n, c, oh, s[0], ow, s[1]]);
      out.push(reshape(slice(block, [0, 0, 0, 0, 0, 0], [n, c, oh, 1, ow, 1]), [n, c, oh, ow]));
    }
  }
  return stack(out, 0);
}

/** Max pooling over kernelSize windows of x [N, C, H, W]; padding is −Infinity. */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  return max(windows('maxPool2d', x, options, Number.NEGATIVE_INFINITY), { axis: 0 });
}

/** Average pooling over kernelSize windows of x [N, C, H, W]; padded zeros count in the mean (PyTorch's default). */
export function avgPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  return mean(windows('avgPool2d', x, options, 0), { axis: 0 });
}
