import { allocate } from '../../../dtype.js';
import { stridesOf } from '../../../shape.js';
import type { Kernel } from '../kernel.js';

type ReducePrimitive = 'sum' | 'prod' | 'max';

const INT32_MIN = -2147483648;

// Accumulators start at the identity, which is also the result over an empty axis.
function identity(p: ReducePrimitive, int: boolean): number {
  if (p === 'sum') return 0;
  if (p === 'prod') return 1;
  return int ? INT32_MIN : Number.NEGATIVE_INFINITY;
}

// `v > acc || isNaN(v)` keeps the first NaN: once acc is NaN, no comparison replaces it.
const FLOAT_STEP: Record<ReducePrimitive, (acc: number, v: number) => number> = {
  sum: (acc, v) => acc + v,
  prod: (acc, v) => acc * v,
  max: (acc, v) => (v > acc || Number.isNaN(v) ? v : acc),
};

const INT_STEP: Record<ReducePrimitive, (acc: number, v: number) => number> = {
  sum: (acc, v) => (acc + v) | 0,
  prod: Math.imul,
  max: Math.max,
};

/**
 * The reduction kernel of `p` over sorted `axes`, which are dropped from the shape. Float
 * results accumulate in doubles (a Float64Array) and are rounded once when stored.
 */
export function reduceKernel(p: ReducePrimitive): Kernel<ReducePrimitive> {
  return ([x], { axes }, out) => {
    const int = x!.dtype === 'int32';
    const step = int ? INT_STEP[p] : FLOAT_STEP[p];
    const shape = x!.shape;
    const data = x!.data;
    const outSize = out.shape.reduce((s, d) => s * d, 1);
    const sums = int ? new Int32Array(outSize) : new Float64Array(outSize);
    sums.fill(identity(p, int));
    // Output stride of every input dim (0 for reduced dims); walk the input in row-major order.
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
        if (inner === 0) {
          let a = sums[o]!;
          for (let i = 0; i < n; i++) a = step(a, data[xi + i]!);
          sums[o] = a;
        } else {
          for (let i = 0; i < n; i++) sums[o + i * inner] = step(sums[o + i * inner]!, data[xi + i]!);
        }
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
    if (sums instanceof Int32Array || out.dtype === 'float64') return sums;
    const res = allocate(out.dtype, outSize);
    res.set(sums);
    return res;
  };
}
