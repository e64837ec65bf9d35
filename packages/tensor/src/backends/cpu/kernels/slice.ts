import { output } from '../buffer-pool.js';
import { sizeOf, stridesOf } from '../../../shape.js';
import type { Kernel } from '../kernel.js';
import { copyStrided } from './strided.js';

/** slice: the block of extent `size` starting at `begin` (both already resolved by the op). */
export const slice: Kernel<'slice'> = ([x], { begin, size }, out) => {
  const xs = stridesOf(x!.shape);
  let offset = 0;
  for (let d = 0; d < begin.length; d++) offset += begin[d]! * xs[d]!;
  const o = output(out.dtype, sizeOf(size));
  copyStrided(x!.data, offset, xs, o, 0, stridesOf(size), size);
  return o;
};
