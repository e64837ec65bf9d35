import { output } from '../buffer-pool.js';
import { stridesOf } from '../../../shape.js';
import type { Kernel } from '../kernel.js';
import { copyStrided } from './strided.js';

/** reverse (flip) the listed axes: a copy that walks those axes with negative strides. */
export const reverse: Kernel<'reverse'> = ([x], { axes }, out) => {
  const shape = x!.shape;
  const xs = stridesOf(shape);
  let offset = 0;
  const strides = xs.map((s, d) => {
    if (!axes.includes(d) || shape[d] === 0) return s;
    offset += (shape[d]! - 1) * s;
    return -s;
  });
  const o = output(out.dtype, x!.data.length);
  copyStrided(x!.data, offset, strides, o, 0, xs, shape);
  return o;
};
