import type { TypedArray } from '../../../dtype.js';
import type { ComparePrimitive } from '../../../primitives.js';
import { sizeOf } from '../../../shape.js';
import { output } from '../buffer-pool.js';
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

function scalarRight(p: ComparePrimitive, a: TypedArray, s: number, o: Uint8Array): void {
  const n = a.length;
  switch (p) {
    case 'equal':
      for (let i = 0; i < n; i++) o[i] = +(a[i] === s);
      return;
    case 'notEqual':
      for (let i = 0; i < n; i++) o[i] = +(a[i] !== s);
      return;
    case 'greater':
      for (let i = 0; i < n; i++) o[i] = +(a[i]! > s);
      return;
    case 'greaterEqual':
      for (let i = 0; i < n; i++) o[i] = +(a[i]! >= s);
      return;
    case 'less':
      for (let i = 0; i < n; i++) o[i] = +(a[i]! < s);
      return;
    case 'lessEqual':
      for (let i = 0; i < n; i++) o[i] = +(a[i]! <= s);
      return;
    default: {
      const unknown: never = p;
      throw new TypeError(`cpu backend: no comparison kernel for ${JSON.stringify(unknown)}`);
    }
  }
}

// s < b[i] is b[i] > s: a scalar on the left compares as the mirrored op with it on the right.
const MIRRORED: Record<ComparePrimitive, ComparePrimitive> = {
  equal: 'equal',
  notEqual: 'notEqual',
  greater: 'less',
  greaterEqual: 'lessEqual',
  less: 'greater',
  lessEqual: 'greaterEqual',
};

/** The elementwise comparison kernel of `p` (equal shapes, or one side rank-0); the result is bool (a Uint8Array of 0/1). */
export function compareKernel(p: ComparePrimitive): Kernel<ComparePrimitive> {
  return ([x, y], _attrs, out) => {
    const a = x!.data;
    const b = y!.data;
    const o = output('bool', sizeOf(out.shape)) as Uint8Array;
    if (a.length === b.length) loop(p, a, b, o);
    else if (b.length === 1) scalarRight(p, a, b[0]!, o);
    else scalarRight(MIRRORED[p], b, a[0]!, o);
    return o;
  };
}
