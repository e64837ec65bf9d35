import type { TypedArray } from '../../../dtype.js';
import type { ComparePrimitive } from '../../../primitives.js';
import type { Kernel } from '../kernel.js';

// IEEE comparisons: every comparison with NaN is false except notEqual. One loop per op so
// V8 specialises each (see unary.ts).
function loop(p: ComparePrimitive, a: TypedArray, b: TypedArray, o: Uint8Array): void {
  const n = a.length;
  switch (p) {
    case 'equal':
      for (let i = 0; i < n; i++) o[i] = +(a[i] === b[i]);
      return;
    case 'notEqual':
      for (let i = 0; i < n; i++) o[i] = +(a[i] !== b[i]);
      return;
    case 'greater':
      for (let i = 0; i < n; i++) o[i] = +(a[i]! > b[i]!);
      return;
    case 'greaterEqual':
      for (let i = 0; i < n; i++) o[i] = +(a[i]! >= b[i]!);
      return;
    case 'less':
      for (let i = 0; i < n; i++) o[i] = +(a[i]! < b[i]!);
      return;
    case 'lessEqual':
      for (let i = 0; i < n; i++) o[i] = +(a[i]! <= b[i]!);
      return;
    default: {
      const unknown: never = p;
      throw new TypeError(`cpu backend: no comparison kernel for ${JSON.stringify(unknown)}`);
    }
  }
}

/** The elementwise comparison kernel of `p`; the result is bool (a Uint8Array of 0/1). */
export function compareKernel(p: ComparePrimitive): Kernel<ComparePrimitive> {
  return ([x, y]) => {
    const o = new Uint8Array(x!.data.length);
    loop(p, x!.data, y!.data, o);
    return o;
  };
}
