import type { TypedArray } from '../../../dtype.js';
import { output } from '../buffer-pool.js';
import type { BinaryPrimitive } from '../../../primitives.js';
import { sizeOf } from '../../../shape.js';
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

// A rank-0 operand meets every element of the other (see infer.ts): loops with the scalar held
// in a local, so the common case keeps its two-array loop. Commutative ops with the scalar on
// the left reuse the right-hand loops.
function scalarRightFloat(p: BinaryPrimitive, a: TypedArray, s: number, o: TypedArray): void {
  const n = a.length;
  switch (p) {
    case 'add':
      for (let i = 0; i < n; i++) o[i] = a[i]! + s;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) o[i] = a[i]! - s;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) o[i] = a[i]! * s;
      return;
    case 'div':
      for (let i = 0; i < n; i++) o[i] = a[i]! / s;
      return;
    case 'pow':
      for (let i = 0; i < n; i++) o[i] = a[i]! ** s;
      return;
    case 'maximum':
      for (let i = 0; i < n; i++) o[i] = Math.max(a[i]!, s);
      return;
    case 'minimum':
      for (let i = 0; i < n; i++) o[i] = Math.min(a[i]!, s);
      return;
    case 'atan2':
      for (let i = 0; i < n; i++) o[i] = Math.atan2(a[i]!, s);
      return;
    default: {
      const unknown: never = p;
      throw new TypeError(`cpu backend: no float kernel for ${JSON.stringify(unknown)}`);
    }
  }
}

function scalarLeftFloat(p: BinaryPrimitive, s: number, b: TypedArray, o: TypedArray): void {
  const n = b.length;
  switch (p) {
    case 'sub':
      for (let i = 0; i < n; i++) o[i] = s - b[i]!;
      return;
    case 'div':
      for (let i = 0; i < n; i++) o[i] = s / b[i]!;
      return;
    case 'pow':
      for (let i = 0; i < n; i++) o[i] = s ** b[i]!;
      return;
    case 'atan2':
      for (let i = 0; i < n; i++) o[i] = Math.atan2(s, b[i]!);
      return;
    default:
      scalarRightFloat(p, b, s, o);
  }
}

function scalarRightInt(p: BinaryPrimitive, a: TypedArray, s: number, o: TypedArray): void {
  const n = a.length;
  switch (p) {
    case 'add':
      for (let i = 0; i < n; i++) o[i] = (a[i]! + s) | 0;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) o[i] = (a[i]! - s) | 0;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) o[i] = Math.imul(a[i]!, s);
      return;
    case 'maximum':
      for (let i = 0; i < n; i++) o[i] = Math.max(a[i]!, s);
      return;
    case 'minimum':
      for (let i = 0; i < n; i++) o[i] = Math.min(a[i]!, s);
      return;
    default:
      throw new TypeError(`${p}: no int32 kernel`);
  }
}

function scalarLeftInt(p: BinaryPrimitive, s: number, b: TypedArray, o: TypedArray): void {
  if (p === 'sub') for (let i = 0; i < b.length; i++) o[i] = (s - b[i]!) | 0;
  else scalarRightInt(p, b, s, o);
}

/** The elementwise kernel of binary primitive `p`: two equal-shape inputs, or one of them rank-0. */
export function binaryKernel(p: BinaryPrimitive): Kernel<BinaryPrimitive> {
  return ([x, y], _attrs, out) => {
    const a = x!.data;
    const b = y!.data;
    const int = x!.dtype === 'int32';
    const o = output(out.dtype, sizeOf(out.shape));
    // Lengths, not ranks, pick the loop: a rank-0 operand against a size-1 tensor is the plain case.
    if (a.length === b.length) (int ? intLoop : floatLoop)(p, a, b, o);
    else if (b.length === 1) (int ? scalarRightInt : scalarRightFloat)(p, a, b[0]!, o);
    else (int ? scalarLeftInt : scalarLeftFloat)(p, a[0]!, b, o);
    return o;
  };
}
