import { output } from '../buffer-pool.js';
import type { Kernel } from '../kernel.js';

/**
 * cast to any dtype. Float → int32 truncates toward zero (JS ToInt32, which also wraps values
 * outside the int32 range and maps NaN/±Inf to 0); → bool is x ≠ 0 (NaN gives true).
 */
export const cast: Kernel<'cast'> = ([x], { dtype }) => {
  const a = x!.data;
  const o = output(dtype, a.length);
  if (dtype === 'bool') {
    for (let i = 0; i < a.length; i++) o[i] = +(a[i] !== 0);
  } else {
    // Typed-array assignment does the conversion: rounding for float32, ToInt32 for int32.
    o.set(a);
  }
  return o;
};
