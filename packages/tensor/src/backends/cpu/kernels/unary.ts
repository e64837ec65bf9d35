import type { TypedArray } from '../../../dtype.js';
import { output } from '../buffer-pool.js';
import type { UnaryPrimitive } from '../../../primitives.js';
import { erf, erfc } from '../../../special/erf.js';
import type { Kernel } from '../kernel.js';

function sigmoid(x: number): number {
  // Split at 0 so exp never overflows: for x < 0 use e^x / (1 + e^x).
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// One explicit loop per op (not a shared loop calling a function table): each loop's call
// site then sees one function, which V8 inlines; a shared call site goes megamorphic.
function floatLoop(p: UnaryPrimitive, a: TypedArray, o: TypedArray): void {
  const n = a.length;
  switch (p) {
    case 'neg':
      for (let i = 0; i < n; i++) o[i] = -a[i]!;
      return;
    case 'abs':
      for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]!);
      return;
    case 'sign':
      // Math.sign keeps NaN and gives 0 for 0 (-0 for -0).
      for (let i = 0; i < n; i++) o[i] = Math.sign(a[i]!);
      return;
    case 'exp':
      for (let i = 0; i < n; i++) o[i] = Math.exp(a[i]!);
      return;
    case 'log':
      for (let i = 0; i < n; i++) o[i] = Math.log(a[i]!);
      return;
    case 'log1p':
      for (let i = 0; i < n; i++) o[i] = Math.log1p(a[i]!);
      return;
    case 'expm1':
      for (let i = 0; i < n; i++) o[i] = Math.expm1(a[i]!);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]!);
      return;
    case 'sin':
      for (let i = 0; i < n; i++) o[i] = Math.sin(a[i]!);
      return;
    case 'cos':
      for (let i = 0; i < n; i++) o[i] = Math.cos(a[i]!);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) o[i] = Math.tanh(a[i]!);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) o[i] = sigmoid(a[i]!);
      return;
    case 'erf':
      for (let i = 0; i < n; i++) o[i] = erf(a[i]!);
      return;
    case 'erfc':
      for (let i = 0; i < n; i++) o[i] = erfc(a[i]!);
      return;
    default: {
      const unknown: never = p;
      throw new TypeError(`cpu backend: no float kernel for ${JSON.stringify(unknown)}`);
    }
  }
}

// int32 results wrap like int32 (neg and abs of -2^31 give -2^31); infer.ts admits only these three.
function intLoop(p: UnaryPrimitive, a: TypedArray, o: TypedArray): void {
  const n = a.length;
  switch (p) {
    case 'neg':
      for (let i = 0; i < n; i++) o[i] = -a[i]! | 0;
      return;
    case 'abs':
      for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]!) | 0;
      return;
    case 'sign':
      for (let i = 0; i < n; i++) o[i] = Math.sign(a[i]!);
      return;
    default:
      throw new TypeError(`${p}: no int32 kernel`);
  }
}

/** The elementwise kernel of unary primitive `p`; float results are rounded by the output array. */
export function unaryKernel(p: UnaryPrimitive): Kernel<UnaryPrimitive> {
  return ([x], _attrs, out) => {
    const o = output(out.dtype, x!.data.length);
    if (x!.dtype === 'int32') intLoop(p, x!.data, o);
    else floatLoop(p, x!.data, o);
    return o;
  };
}
