import { output } from '../buffer-pool.js';
import { fmtShape } from '../../../shape.js';
import type { Kernel } from '../kernel.js';

/** Splits `shape` around `axis` into [outer, n, inner] sizes. */
export function around(shape: readonly number[], axis: number, span = 1): [number, number, number] {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  let n = 1;
  for (let d = axis; d < axis + span; d++) n *= shape[d]!;
  let inner = 1;
  for (let d = axis + span; d < shape.length; d++) inner *= shape[d]!;
  return [outer, n, inner];
}

/** gather(x, indices, axis): out = x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export const gather: Kernel<'gather'> = ([x, indices], { axis }, out) => {
  const [outer, n, inner] = around(x!.shape, axis);
  const idx = indices!.data;
  const src = x!.data;
  const o = output(out.dtype, outer * idx.length * inner);
  for (let j = 0; j < idx.length; j++) {
    const k = idx[j]!;
    if (k < 0 || k >= n) {
      throw new RangeError(`gather: index ${k} at flat position ${j} is out of range for axis ${axis} of size ${n} (input ${fmtShape(x!.shape)})`);
    }
  }
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < idx.length; j++) {
      const s = (a * n + idx[j]!) * inner;
      const d = (a * idx.length + j) * inner;
      for (let b = 0; b < inner; b++) o[d + b] = src[s + b]!;
    }
  }
  return o;
};
