import { output } from '../buffer-pool.js';
import { fmtShape } from '../../../shape.js';
import type { Kernel } from '../kernel.js';
import { around } from './gather.js';

/**
 * scatterAdd(indices, updates, {axis, size}): the transpose of gather. Output has `size` at
 * `axis`; duplicate indices sum. Floats accumulate in doubles and are rounded once.
 */
export const scatterAdd: Kernel<'scatterAdd'> = ([indices, updates], { axis, size }, out) => {
  const idx = indices!.data;
  const [outer, m, inner] = around(updates!.shape, axis, indices!.shape.length);
  const upd = updates!.data;
  for (let j = 0; j < idx.length; j++) {
    const k = idx[j]!;
    if (k < 0 || k >= size) {
      throw new RangeError(`scatterAdd: index ${k} at flat position ${j} is out of range for size ${size} (indices ${fmtShape(indices!.shape)})`);
    }
  }
  const int = updates!.dtype === 'int32';
  const acc = int ? new Int32Array(outer * size * inner) : new Float64Array(outer * size * inner);
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < m; j++) {
      const d = (a * size + idx[j]!) * inner;
      const s = (a * m + j) * inner;
      if (int) for (let b = 0; b < inner; b++) acc[d + b] = (acc[d + b]! + upd[s + b]!) | 0;
      else for (let b = 0; b < inner; b++) acc[d + b] = acc[d + b]! + upd[s + b]!;
    }
  }
  if (out.dtype === 'float64' || out.dtype === 'int32') return acc;
  const o = output(out.dtype, acc.length);
  if (out.dtype === 'bool') for (let i = 0; i < acc.length; i++) o[i] = acc[i] !== 0 ? 1 : 0;
  else o.set(acc);
  return o;
};
