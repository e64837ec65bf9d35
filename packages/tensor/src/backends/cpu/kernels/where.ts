import { allocate } from '../../../dtype.js';
import type { Kernel } from '../kernel.js';

/** where(cond, a, b): a where cond is true, else b; all three of one shape. */
export const where: Kernel<'where'> = ([cond, a, b], _attrs, out) => {
  const c = cond!.data;
  const x = a!.data;
  const y = b!.data;
  const o = allocate(out.dtype, c.length);
  for (let i = 0; i < c.length; i++) o[i] = c[i] ? x[i]! : y[i]!;
  return o;
};
