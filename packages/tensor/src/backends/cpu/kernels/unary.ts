import { allocate } from '../../../dtype.js';
import type { UnaryPrimitive } from '../../../primitives.js';
import type { Kernel } from '../kernel.js';

function sigmoid(x: number): number {
  // Split at 0 so exp never overflows: for x < 0 use e^x / (1 + e^x).
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const FLOAT: Record<UnaryPrimitive, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  // Math.sign keeps NaN and gives 0 for 0 (-0 for -0).
  sign: Math.sign,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid,
};

// int32 results wrap like int32 (neg and abs of -2^31 give -2^31).
const INT: Partial<Record<UnaryPrimitive, (x: number) => number>> = {
  neg: (x) => -x | 0,
  abs: (x) => Math.abs(x) | 0,
  sign: Math.sign,
};

/** The elementwise kernel of unary primitive `p`; float results are rounded by the output array. */
export function unaryKernel(p: UnaryPrimitive): Kernel<UnaryPrimitive> {
  return ([x], _attrs, out) => {
    const f = (x!.dtype === 'int32' ? INT[p] : FLOAT[p])!;
    const a = x!.data;
    const o = allocate(out.dtype, a.length);
    for (let i = 0; i < a.length; i++) o[i] = f(a[i]!);
    return o;
  };
}
