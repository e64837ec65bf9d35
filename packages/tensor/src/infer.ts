import { type DType, isFloat } from './dtype.js';
import type { Attrs, Primitive } from './primitives.js';
import { PRIMITIVE_INFO } from './primitives.js';
import { type Shape, fmtShape, shapesEqual } from './shape.js';

/** Shape and dtype of a primitive's input or output. */
export interface TensorSpec {
  shape: Shape;
  dtype: DType;
}

/**
 * The output spec of an elementwise pair (binary and comparison primitives): equal shapes, or one
 * side a rank-0 scalar that meets every element of the other (no other broadcasting at this
 * level — the ops layer broadcasts — but a scalar need not be expanded into a full array first).
 */
function elementwisePair(p: string, a: TensorSpec, b: TensorSpec): TensorSpec {
  if (a.dtype !== b.dtype) throw new TypeError(`${p}: dtypes ${a.dtype} and ${b.dtype} differ; cast one explicitly`);
  if (shapesEqual(a.shape, b.shape) || b.shape.length === 0) return a;
  if (a.shape.length === 0) return b;
  throw new RangeError(`${p}: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} differ (a primitive takes equal shapes or one rank-0 operand)`);
}

function sameShapeAndDType(p: string, a: TensorSpec, b: TensorSpec): void {
  if (!shapesEqual(a.shape, b.shape)) throw new RangeError(`${p}: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} differ`);
  if (a.dtype !== b.dtype) throw new TypeError(`${p}: dtypes ${a.dtype} and ${b.dtype} differ; cast one explicitly`);
}

/** Checks `x` against the dtypes primitive `p` accepts (its descriptor in primitives.ts). */
function numeric(p: Primitive, x: TensorSpec): void {
  if (x.dtype === 'bool') throw new TypeError(`${p}: bool tensors are not supported; cast to a numeric dtype first`);
  if (!isFloat(x.dtype) && PRIMITIVE_INFO[p].dtypes === 'float') throw new TypeError(`${p}: expects a float tensor, got ${x.dtype}`);
}

/**
 * Validates a primitive's inputs and returns its output's shape and dtype. Primitives are
 * checked here once, for every backend, so kernels may assume well-formed inputs.
 */
export function inferOutput<P extends Primitive>(p: P, inputs: readonly TensorSpec[], attrs: Attrs<P>): TensorSpec {
  const x = inputs[0]!;
  const a = attrs as any;
  const prim: Primitive = p;
  switch (prim) {
    case 'neg':
    case 'abs':
    case 'sign':
    case 'exp':
    case 'log':
    case 'log1p':
    case 'expm1':
    case 'sqrt':
    case 'sin':
    case 'cos':
    case 'tanh':
    case 'sigmoid':
    case 'erf':
    case 'erfc':
      numeric(p, x);
      return x;
    case 'equal':
    case 'notEqual':
    case 'greater':
    case 'greaterEqual':
    case 'less':
    case 'lessEqual':
      return { shape: elementwisePair(p, x, inputs[1]!).shape, dtype: 'bool' };
    case 'cast':
      return { shape: x.shape, dtype: a.dtype };
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'pow':
    case 'maximum':
    case 'minimum':
    case 'atan2':
      numeric(p, x);
      return elementwisePair(p, x, inputs[1]!);
    case 'where': {
      const [c, t, f] = inputs as [TensorSpec, TensorSpec, TensorSpec];
      if (c.dtype !== 'bool') throw new TypeError(`where: condition must be bool, got ${c.dtype}`);
      if (!shapesEqual(c.shape, t.shape)) throw new RangeError(`where: condition ${fmtShape(c.shape)} and values ${fmtShape(t.shape)} differ`);
      sameShapeAndDType(p, t, f);
      return t;
    }
    case 'sum':
    case 'prod':
    case 'max':
      numeric(p, x);
      return { shape: x.shape.filter((_, i) => !a.axes.includes(i)), dtype: x.dtype };
    case 'argmax':
    case 'argmin':
      if (x.shape[a.axis] === 0) throw new RangeError(`${p}: cannot reduce an empty axis ${a.axis} of ${fmtShape(x.shape)}`);
      return { shape: x.shape.filter((_, i) => i !== a.axis), dtype: 'int32' };
    case 'cumsum':
      numeric(p, x);
      return x;
    case 'reshape':
      return { shape: a.shape, dtype: x.dtype };
    case 'transpose':
      return { shape: a.perm.map((i: number) => x.shape[i]!), dtype: x.dtype };
    case 'broadcastTo':
      return { shape: a.shape, dtype: x.dtype };
    case 'slice':
      return { shape: a.size, dtype: x.dtype };
    case 'pad':
      return { shape: x.shape.map((d, i) => d + a.paddings[i][0] + a.paddings[i][1]), dtype: x.dtype };
    case 'concat': {
      let n = 0;
      for (const t of inputs) {
        if (t.dtype !== x.dtype) throw new TypeError(`concat: dtypes ${x.dtype} and ${t.dtype} differ`);
        if (t.shape.length !== x.shape.length || t.shape.some((d, i) => i !== a.axis && d !== x.shape[i])) {
          throw new RangeError(`concat: shapes ${inputs.map((s) => fmtShape(s.shape)).join(', ')} differ outside axis ${a.axis}`);
        }
        n += t.shape[a.axis]!;
      }
      return { shape: x.shape.map((d, i) => (i === a.axis ? n : d)), dtype: x.dtype };
    }
    case 'reverse':
      return x;
    case 'gather': {
      const idx = inputs[1]!;
      if (idx.dtype !== 'int32') throw new TypeError(`gather: indices must be int32, got ${idx.dtype}`);
      return { shape: [...x.shape.slice(0, a.axis), ...idx.shape, ...x.shape.slice(a.axis + 1)], dtype: x.dtype };
    }
    case 'scatterAdd': {
      const [idx, upd] = inputs as [TensorSpec, TensorSpec];
      if (idx.dtype !== 'int32') throw new TypeError(`scatterAdd: indices must be int32, got ${idx.dtype}`);
      const r = idx.shape.length;
      if (!shapesEqual(upd.shape.slice(a.axis, a.axis + r), idx.shape)) {
        throw new RangeError(`scatterAdd: updates ${fmtShape(upd.shape)} do not hold indices ${fmtShape(idx.shape)} at axis ${a.axis}`);
      }
      return { shape: [...upd.shape.slice(0, a.axis), a.size, ...upd.shape.slice(a.axis + r)], dtype: upd.dtype };
    }
    case 'matmul': {
      const b = inputs[1]!;
      const r = x.shape.length;
      if (r < 2 || b.shape.length !== r) throw new RangeError(`matmul: expects two tensors of one rank ≥ 2, got ${fmtShape(x.shape)} and ${fmtShape(b.shape)}`);
      if (x.dtype !== b.dtype) throw new TypeError(`matmul: dtypes ${x.dtype} and ${b.dtype} differ; cast one explicitly`);
      numeric(p, x);
      if (!shapesEqual(x.shape.slice(0, -2), b.shape.slice(0, -2)) || x.shape[r - 1] !== b.shape[r - 2]) {
        throw new RangeError(`matmul: shapes ${fmtShape(x.shape)} and ${fmtShape(b.shape)} do not multiply`);
      }
      return { shape: [...x.shape.slice(0, -1), b.shape[r - 1]!], dtype: x.dtype };
    }
    case 'conv2d': {
      numeric(p, x);
      const w = inputs[1]!;
      const { stride, padding, dilation, groups } = a as Attrs<'conv2d'>;
      const [n, c, h, wd] = x.shape as [number, number, number, number];
      const [o, ci, kh, kw] = w.shape as [number, number, number, number];
      const oh = Math.floor((h + padding[0][0] + padding[0][1] - dilation[0] * (kh - 1) - 1) / stride[0]) + 1;
      const ow = Math.floor((wd + padding[1][0] + padding[1][1] - dilation[1] * (kw - 1) - 1) / stride[1]) + 1;
      if (ci * groups !== c || o % groups !== 0) {
        throw new RangeError(`conv2d: input ${fmtShape(x.shape)} and weight ${fmtShape(w.shape)} disagree on input channels (${c} vs ${ci}×${groups} groups)`);
      }
      if (oh < 0 || ow < 0) throw new RangeError(`conv2d: kernel ${kh}×${kw} does not fit input ${h}×${wd} with the given padding and dilation`);
      return { shape: [n, o, Math.max(oh, 0), Math.max(ow, 0)], dtype: x.dtype };
    }
    default: {
      const unknown: never = prim;
      throw new Error(`inferOutput: unknown primitive ${JSON.stringify(unknown)}`);
    }
  }
}
