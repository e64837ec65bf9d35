import { allocate } from '../../../dtype.js';
import type { BinaryPrimitive } from '../../../primitives.js';
import type { Kernel } from '../kernel.js';

// Math.max/min return NaN when either side is NaN, as maximum/minimum must.
const FLOAT: Record<BinaryPrimitive, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: Math.max,
  minimum: Math.min,
};

// int32 arithmetic wraps like int32; infer.ts refuses int32 div and pow.
const INT: Partial<Record<BinaryPrimitive, (a: number, b: number) => number>> = {
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: Math.imul,
  maximum: Math.max,
  minimum: Math.min,
};

/** The elementwise kernel of binary primitive `p` on two equal-shape inputs. */
export function binaryKernel(p: BinaryPrimitive): Kernel<BinaryPrimitive> {
  return ([x, y], _attrs, out) => {
    const f = (x!.dtype === 'int32' ? INT[p] : FLOAT[p])!;
    const a = x!.data;
    const b = y!.data;
    const o = allocate(out.dtype, a.length);
    for (let i = 0; i < a.length; i++) o[i] = f(a[i]!, b[i]!);
    return o;
  };
}
