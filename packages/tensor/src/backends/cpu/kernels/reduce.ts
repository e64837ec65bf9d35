import type { TypedArray } from '../../../dtype.js';
import { output } from '../buffer-pool.js';
import { stridesOf } from '../../../shape.js';
import type { Kernel } from '../kernel.js';

type ReducePrimitive = 'sum' | 'prod' | 'max';
type Acc = Float64Array | Int32Array;

const INT32_MIN = -2147483648;

// Accumulators start at the identity, which is also the result over an empty axis.
function identity(p: ReducePrimitive, int: boolean): number {
  if (p === 'sum') return 0;
  if (p === 'prod') return 1;
  return int ? INT32_MIN : Number.NEGATIVE_INFINITY;
}

/**
 * Folds x[xi .. xi+n) into acc[o] (`stride` 0) or elementwise into acc[o + i·stride]. One
 * explicit loop per op and dtype so V8 specialises each. Float max keeps the first NaN
 * (`v > a || isNaN(v)`: once a is NaN nothing replaces it); int32 sum and prod wrap.
 */
function fold(p: ReducePrimitive, int: boolean, x: TypedArray, xi: number, n: number, acc: Acc, o: number, stride: number): void {
  if (stride === 0) {
    let a = acc[o]!;
    if (int) {
      if (p === 'sum') for (let i = 0; i < n; i++) a = (a + x[xi + i]!) | 0;
      else if (p === 'prod') for (let i = 0; i < n; i++) a = Math.imul(a, x[xi + i]!);
      else for (let i = 0; i < n; i++) a = Math.max(a, x[xi + i]!);
    } else if (p === 'sum') {
      for (let i = 0; i < n; i++) a += x[xi + i]!;
    } else if (p === 'prod') {
      for (let i = 0; i < n; i++) a *= x[xi + i]!;
    } else {
      for (let i = 0; i < n; i++) {
        const v = x[xi + i]!;
        if (v > a || Number.isNaN(v)) a = v;
      }
    }
    acc[o] = a;
    return;
  }
  if (int) {
    if (p === 'sum') for (let i = 0; i < n; i++) acc[o + i * stride] = (acc[o + i * stride]! + x[xi + i]!) | 0;
    else if (p === 'prod') for (let i = 0; i < n; i++) acc[o + i * stride] = Math.imul(acc[o + i * stride]!, x[xi + i]!);
    else for (let i = 0; i < n; i++) acc[o + i * stride] = Math.max(acc[o + i * stride]!, x[xi + i]!);
  } else if (p === 'sum') {
    for (let i = 0; i < n; i++) acc[o + i * stride] += x[xi + i]!;
  } else if (p === 'prod') {
    for (let i = 0; i < n; i++) acc[o + i * stride] *= x[xi + i]!;
  } else {
    for (let i = 0; i < n; i++) {
      const v = x[xi + i]!;
      if (v > acc[o + i * stride]! || Number.isNaN(v)) acc[o + i * stride] = v;
    }
  }
}

/**
 * The reduction kernel of `p` over sorted `axes`, which are dropped from the shape. The input is
 * walked once in row-major order; float results accumulate in doubles and are rounded once.
 */
export function reduceKernel(p: ReducePrimitive): Kernel<ReducePrimitive> {
  return ([x], { axes }, out) => {
    const int = x!.dtype === 'int32';
    const shape = x!.shape;
    const data = x!.data;
    const outSize = out.shape.reduce((s, d) => s * d, 1);
    const acc = int ? new Int32Array(outSize) : new Float64Array(outSize);
    acc.fill(identity(p, int));
    // Output stride of every input dim (0 for reduced dims).
    const outStrides = stridesOf(out.shape);
    const os = new Array<number>(shape.length);
    for (let d = 0, k = 0; d < shape.length; d++) os[d] = axes.includes(d) ? 0 : outStrides[k++]!;
    if (data.length > 0) {
      const r = shape.length;
      const n = r === 0 ? 1 : shape[r - 1]!;
      const inner = r === 0 ? 0 : os[r - 1]!;
      const idx = new Array<number>(r).fill(0);
      let xi = 0;
      let o = 0;
      for (;;) {
        fold(p, int, data, xi, n, acc, o, inner);
        xi += n;
        let d = r - 2;
        for (; d >= 0; d--) {
          o += os[d]!;
          if (++idx[d]! < shape[d]!) break;
          o -= os[d]! * shape[d]!;
          idx[d] = 0;
        }
        if (d < 0) break;
      }
    }
    if (acc instanceof Int32Array || out.dtype === 'float64') return acc;
    const res = output(out.dtype, outSize);
    res.set(acc);
    return res;
  };
}
