import { output } from '../buffer-pool.js';
import { sizeOf, stridesOf } from '../../../shape.js';
import type { Kernel } from '../kernel.js';
import { copyStrided } from './strided.js';

/** concat along `axis`: each input is copied into its band of the output. */
export const concat: Kernel<'concat'> = (inputs, { axis }, out) => {
  const os = stridesOf(out.shape);
  const o = output(out.dtype, sizeOf(out.shape));
  let at = 0;
  for (const t of inputs) {
    copyStrided(t.data, 0, stridesOf(t.shape), o, at * os[axis]!, os, t.shape);
    at += t.shape[axis]!;
  }
  return o;
};
