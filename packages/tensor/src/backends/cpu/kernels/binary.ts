import { allocate, type TypedArray } from '../../../dtype.js';
import type { BinaryPrimitive } from '../../../primitives.js';
import type { Kernel } from '../kernel.js';

// One explicit loop per op so V8 specialises each (see unary.ts). Math.max/min return NaN when
// either side is NaN, as maximum/minimum must.
function floatLoop(p: BinaryPrimitive, a: TypedArray, b: TypedArray, o: TypedArray): void {
  const n = a.length;
  switch (p) {
    case 'add':
      for (let i = 0; i < n; i++) o[i] = a[i]! + b[i]!;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) o[i] = a[i]! - b[i]!;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) o[i] = a[i]! * b[i]!;
      return;
    case 'div':
      for (let i = 0; i < n; i++) o[i] = a[i]! / b[i]!;
      return;
    case 'pow':
      for (let i = 0; i < n; i++) o[i] = a[i]! ** b[i]!;
      return;
    case 'maximum':
      for (let i = 0; i < n; i++) o[i] = Math.max(a[i]!, b[i]!);
      return;
    case 'minimum':
      for (let i = 0; i < n; i++) o[i] = Math.min(a[i]!, b[i]!);
      return;
    case 'atan2':
      for (let i = 0; i < n; i++) o[i] = Math.atan2(a[i]!, b[i]!);
      return;
    default: {
      const unknown: never = p;
      throw new TypeError(`cpu backend: no float kernel for ${JSON.stringify(unknown)}`);
    }
  }
}

// int32 arithmetic wraps like int32; infer.ts refuses int32 div and pow.
function intLoop(p: BinaryPrimitive, a: TypedArray, b: TypedArray, o: TypedArray): void {
  const n = a.length;
  switch (p) {
    case 'add':
      for (let i = 0; i < n; i++) o[i] = (a[i]! + b[i]!) | 0;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) o[i] = (a[i]! - b[i]!) | 0;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) o[i] = Math.imul(a[i]!, b[i]!);
      return;
    case 'maximum':
      for (let i = 0; i < n; i++) o[i] = Math.max(a[i]!, b[i]!);
      return;
    case 'minimum':
      for (let i = 0; i < n; i++) o[i] = Math.min(a[i]!, b[i]!);
      return;
    default:
      throw new TypeError(`${p}: no int32 kernel`);
  }
}

/** The elementwise kernel of binary primitive `p` on two equal-shape inputs. */
export function binaryKernel(p: BinaryPrimitive): Kernel<BinaryPrimitive> {
  return ([x, y], _attrs, out) => {
    const o = allocate(out.dtype, x!.data.length);
    if (x!.dtype === 'int32') intLoop(p, x!.data, y!.data, o);
    else floatLoop(p, x!.data, y!.data, o);
    return o;
  };
}
