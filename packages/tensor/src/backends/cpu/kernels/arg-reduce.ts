import type { Kernel } from '../kernel.js';

/**
 * argmax / argmin along `axis` → int32 index of the first extreme value. A NaN counts as the
 * extreme (the first NaN wins), as in PyTorch and NumPy.
 */
export function argReduceKernel(p: 'argmax' | 'argmin'): Kernel<'argmax' | 'argmin'> {
  const sign = p === 'argmax' ? 1 : -1;
  return ([x], { axis }) => {
    const shape = x!.shape;
    const data = x!.data;
    const n = shape[axis]!;
    let outer = 1;
    for (let d = 0; d < axis; d++) outer *= shape[d]!;
    let inner = 1;
    for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
    const o = new Int32Array(outer * inner);
    for (let a = 0; a < outer; a++) {
      for (let b = 0; b < inner; b++) {
        const base = a * n * inner + b;
        let best = sign * data[base]!;
        let at = 0;
        if (!Number.isNaN(best)) {
          for (let i = 1; i < n; i++) {
            const v = sign * data[base + i * inner]!;
            const nan = Number.isNaN(v);
            if (v > best || nan) {
              best = v;
              at = i;
              if (nan) break;
            }
          }
        }
        o[a * inner + b] = at;
      }
    }
    return o;
  };
}
