import { fmtShape } from '../shape.js';
import { assertInt } from './int.js';
import { type Check, option } from './options.js';
import { type Pair, pair } from './pair.js';
import { fmtValue } from './value.js';

/** Padding of a 2-D window: all sides, [ph, pw] (symmetric), [[top, bottom], [left, right]], 'valid' (none) or 'same' (stride 1). */
export type ConvPadding = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]] | 'valid' | 'same';

/** Zeros before and after each spatial axis: [[top, bottom], [left, right]]. */
export type PaddingSides = [[number, number], [number, number]];

/** Stride, padding sides and dilation of a 2-D window, each [height, width]. */
export interface WindowGeometry {
  stride: readonly [number, number];
  padding: PaddingSides;
  dilation: readonly [number, number];
}

/**
 * Resolves a padding option to [[top, bottom], [left, right]] for a kernel [kh, kw]: 'same' pads
 * d·(k − 1) per axis (the odd cell after, at the bottom/right) and needs stride 1.
 */
export function convPadding(where: string, padding: ConvPadding | undefined, kernel: readonly [number, number], stride: readonly [number, number], dilation: readonly [number, number]): PaddingSides {
  if (padding === undefined || padding === 'valid') return [
    [0, 0],
    [0, 0],
  ];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new RangeError(`${where}: padding 'same' needs stride 1, got stride ${fmtShape(stride)}`);
    return [0, 1].map((i) => {
      const total = dilation[i]! * (kernel[i]! - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    }) as PaddingSides;
  }
  if (typeof padding === 'string') throw new RangeError(`${where}: padding must be a number, a pair, [[top, bottom], [left, right]], 'valid' or 'same'; got ${fmtValue(padding)}`);
  if (Array.isArray(padding) && Array.isArray(padding[0])) {
    const sides = padding as readonly (readonly number[])[];
    if (sides.length !== 2 || sides.some((s) => !Array.isArray(s) || s.length !== 2)) throw new RangeError(`${where}: padding ${fmtValue(padding)} must be [[top, bottom], [left, right]]`);
    for (const s of sides) for (const n of s) assertInt(where, 'padding', n);
    return [
      [sides[0]![0]!, sides[0]![1]!],
      [sides[1]![0]!, sides[1]![1]!],
    ];
  }
  const [ph, pw] = pair(where, 'padding', padding as Pair, 0, 0);
  return [
    [ph, ph],
    [pw, pw],
  ];
}

/**
 * Output [height, width] of a kernel [kh, kw] slid over an input [h, w] (PyTorch's formula, floor
 * mode); throws a RangeError naming `where` when the dilated kernel is larger than the padded input.
 */
export function convOutputSize(where: string, input: readonly [number, number], kernel: readonly [number, number], geometry: WindowGeometry): [number, number] {
  const { stride, padding, dilation } = geometry;
  const span = [0, 1].map((i) => dilation[i]! * (kernel[i]! - 1) + 1);
  const padded = [0, 1].map((i) => input[i]! + padding[i]![0] + padding[i]![1]);
  if (padded[0]! < span[0]! || padded[1]! < span[1]!) {
    const what = dilation[0] === 1 && dilation[1] === 1 ? 'kernel' : 'dilated kernel';
    throw new RangeError(`${where}: the ${what} ${span.join('×')} is larger than the padded input ${padded.join('×')} (input ${input.join('×')})`);
  }
  return [0, 1].map((i) => Math.floor((padded[i]! - span[i]!) / stride[i]!) + 1) as [number, number];
}

/** The option check of a `ConvPadding` (its structure; 'same' with a stride is refused by `convPadding` at the call). */
export function paddingOption(): Check<ConvPadding, false> {
  return option.from("an integer ≥ 0, a pair, [[top, bottom], [left, right]], 'valid' or 'same'", (where, name, v) => {
    if (typeof v === 'string' && v !== 'same' && v !== 'valid') throw new RangeError(`${where}: ${name} must be a number, a pair, [[top, bottom], [left, right]], 'valid' or 'same'; got ${fmtValue(v)}`);
    if (typeof v !== 'string') convPadding(where, v as ConvPadding, [1, 1], [1, 1], [1, 1]);
    return v as ConvPadding;
  });
}
