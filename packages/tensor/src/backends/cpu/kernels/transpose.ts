import { output } from '../buffer-pool.js';
import { stridesOf } from '../../../shape.js';
import type { Kernel } from '../kernel.js';
import { copyStrided } from './strided.js';

/** transpose: output dim i is input dim perm[i]. */
export const transpose: Kernel<'transpose'> = ([x], { perm }, out) => {
  const xs = stridesOf(x!.shape);
  const o = output(out.dtype, x!.data.length);
  copyStrided(
    x!.data,
    0,
    perm.map((p) => xs[p]!),
    o,
    0,
    stridesOf(out.shape),
    out.shape,
  );
  return o;
};
