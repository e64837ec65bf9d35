import { output } from '../buffer-pool.js';
import type { Kernel } from '../kernel.js';

/**
 * Inclusive prefix sum along `axis` (from the end when `reverse`). Floats accumulate in a
 * double and are rounded when stored; int32 wraps.
 */
export const cumsum: Kernel<'cumsum'> = ([x], { axis, reverse }, out) => {
  const shape = x!.shape;
  const data = x!.data;
  const int = x!.dtype === 'int32';
  const n = shape[axis]!;
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const o = output(out.dtype, data.length);
  const step = reverse ? -inner : inner;
  for (let a = 0; a < outer; a++) {
    for (let b = 0; b < inner; b++) {
      let k = a * n * inner + b + (reverse ? (n - 1) * inner : 0);
      let acc = 0;
      for (let i = 0; i < n; i++, k += step) {
        acc = int ? (acc + data[k]!) | 0 : acc + data[k]!;
        o[k] = acc;
      }
    }
  }
  return o;
};
