import { output } from '../buffer-pool.js';
import { sizeOf, stridesOf } from '../../../shape.js';
import type { Kernel } from '../kernel.js';
import { copyStrided } from './strided.js';

/**
 * pad each dim by [lo, hi] elements of `value`. Negative amounts crop, so only the part of the
 * input that lands inside the output is copied.
 */
export const pad: Kernel<'pad'> = ([x], { paddings, value }, out) => {
  const shape = x!.shape;
  const xs = stridesOf(shape);
  const os = stridesOf(out.shape);
  const o = output(out.dtype, sizeOf(out.shape));
  o.fill(value);
  let src = 0;
  let dst = 0;
  const extent: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const lo = paddings[d]![0];
    const start = Math.max(0, -lo);
    const end = Math.min(shape[d]!, out.shape[d]! - lo);
    if (end <= start) return o;
    src += start * xs[d]!;
    dst += (start + lo) * os[d]!;
    extent.push(end - start);
  }
  copyStrided(x!.data, src, xs, o, dst, os, extent);
  return o;
};
