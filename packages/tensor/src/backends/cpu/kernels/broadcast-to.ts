import { output } from '../buffer-pool.js';
import { sizeOf, stridesOf } from '../../../shape.js';
import type { Kernel } from '../kernel.js';
import { copyStrided } from './strided.js';

/** broadcastTo with NumPy alignment (trailing dims match); size-1 and missing dims repeat. */
export const broadcastTo: Kernel<'broadcastTo'> = ([x], { shape }, out) => {
  const xs = stridesOf(x!.shape);
  const lead = shape.length - x!.shape.length;
  const strides = shape.map((_, i) => (i < lead || x!.shape[i - lead] === 1 ? 0 : xs[i - lead]!));
  const o = output(out.dtype, sizeOf(shape));
  copyStrided(x!.data, 0, strides, o, 0, stridesOf(shape), shape);
  return o;
};
