import type { ComparePrimitive } from '../../../primitives.js';
import type { Kernel } from '../kernel.js';

// IEEE comparisons: every comparison with NaN is false except notEqual.
const COMPARE: Record<ComparePrimitive, (a: number, b: number) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  greater: (a, b) => a > b,
  greaterEqual: (a, b) => a >= b,
  less: (a, b) => a < b,
  lessEqual: (a, b) => a <= b,
};

/** The elementwise comparison kernel of `p`; the result is bool (a Uint8Array of 0/1). */
export function compareKernel(p: ComparePrimitive): Kernel<ComparePrimitive> {
  const f = COMPARE[p];
  return ([x, y]) => {
    const a = x!.data;
    const b = y!.data;
    const o = new Uint8Array(a.length);
    for (let i = 0; i < a.length; i++) o[i] = f(a[i]!, b[i]!) ? 1 : 0;
    return o;
  };
}
