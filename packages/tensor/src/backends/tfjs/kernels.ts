import type * as tfc from '@tensorflow/tfjs-core';
import type { TensorSpec } from '../../infer.js';
import type { Attrs, Primitive } from '../../primitives.js';
import { fmtShape, sizeOf } from '../../shape.js';
import { conv2d } from './conv2d.js';
import { erf, erfc } from './erf.js';

/** The tfjs-core namespace a tfjs backend runs on (the CJS instance in Node, ESM in browsers). */
export type Tf = typeof tfc;
/** A tfjs tensor: the handle of every tensor on a tfjs-backed ddopt backend. */
export type TfTensor = tfc.Tensor;

/**
 * Computes primitive `P` from tfjs tensors. Runs inside `tf.tidy`, so intermediates are freed;
 * it may assume inputs validated by `inferOutput` and an output with at least one element.
 */
export type TfjsKernel<P extends Primitive> = (tf: Tf, inputs: TfTensor[], attrs: Attrs<P>, out: TensorSpec) => TfTensor;

const unary =
  (f: (tf: Tf, x: TfTensor) => TfTensor): TfjsKernel<Primitive> =>
  (tf, [x]) =>
    f(tf, x!);

const binary =
  (f: (tf: Tf, a: TfTensor, b: TfTensor) => TfTensor): TfjsKernel<Primitive> =>
  (tf, [a, b]) =>
    f(tf, a!, b!);

const isFloat = (x: TfTensor): boolean => x.dtype === 'float32';

// tfjs-wasm's Maximum/Minimum return the first operand when only the second is NaN;
// NaN propagation (as NumPy and the cpu backend do) needs an explicit select.
function nanPropagating(f: (tf: Tf, a: TfTensor, b: TfTensor) => TfTensor): TfjsKernel<Primitive> {
  return binary((tf, a, b) => (isFloat(a) ? tf.where(tf.logicalOr(tf.isNaN(a), tf.isNaN(b)), tf.add(a, b), f(tf, a, b)) : f(tf, a, b)));
}

// tfjs computes log1p as log(1 + x), which loses every digit for |x| below float32's epsilon.
// Below |x| = 1e-2 the series x − x²/2 + x³/3 − x⁴/4 is exact to float32 rounding (and needs
// no log, which webgl approximates near 1); above, Goldberg's log(u)·x/(u − 1), u = 1 + x.
function log1p(tf: Tf, x: TfTensor): TfTensor {
  const c = (v: number) => tf.scalar(v);
  const series = tf.mul(x, tf.sub(c(1), tf.mul(x, tf.sub(c(0.5), tf.mul(x, tf.sub(c(1 / 3), tf.div(x, c(4))))))));
  const u = tf.add(x, c(1));
  const goldberg = tf.mul(log(tf, u), tf.div(x, tf.sub(u, c(1))));
  // u = ∞ (x = ∞) would give ∞/∞ in the correction: log(u) is the answer there.
  const large = tf.where(tf.equal(u, c(Number.POSITIVE_INFINITY)), u, goldberg);
  return tf.where(tf.less(tf.abs(x), c(1e-2)), series, large);
}

// tfjs-wasm's Sign maps NaN and tiny values such as 1e-9 to 0; (x > 0) - (x < 0) does not.
function sign(tf: Tf, x: TfTensor): TfTensor {
  const zero = tf.zerosLike(x);
  const s = tf.sub(tf.cast(tf.greater(x, zero), x.dtype), tf.cast(tf.less(x, zero), x.dtype));
  return isFloat(x) ? tf.where(tf.isNaN(x), x, s) : s;
}

// Quirks of tfjs-webgl's shaders (seen on SwiftShader), patched only where they occur.
const onWebgl = (tf: Tf): boolean => tf.getBackend() === 'webgl';

// webgl's log(0) is about -88 (log of the smallest float), not -∞.
function log(tf: Tf, x: TfTensor): TfTensor {
  const y = tf.log(x);
  return onWebgl(tf) ? tf.where(tf.equal(x, tf.zerosLike(x)), tf.fill(x.shape, Number.NEGATIVE_INFINITY), y) : y;
}

// webgl computes expm1 as exp(x) - 1 (no digits left for tiny x) and maps NaN to ∞. Below
// |x| = 1e-2 the series x + x²/2 + x³/6 is exact to float32 rounding.
function expm1(tf: Tf, x: TfTensor): TfTensor {
  if (!onWebgl(tf)) return tf.expm1(x);
  const series = tf.mul(x, tf.add(tf.scalar(1), tf.mul(x, tf.add(tf.scalar(0.5), tf.div(x, tf.scalar(6))))));
  const y = tf.where(tf.less(tf.abs(x), tf.scalar(1e-2)), series, tf.expm1(x));
  return tf.where(tf.isNaN(x), x, y);
}

// webgl's division shader returns 1 whenever a == b, so 0/0 and ∞/∞ give 1, not NaN.
function webglDiv(tf: Tf, a: TfTensor, b: TfTensor): TfTensor {
  const undefinedRatio = tf.logicalAnd(tf.equal(a, b), tf.logicalOr(tf.equal(a, tf.zerosLike(a)), tf.isInf(a)));
  // One side may be a rank-0 scalar (see infer.ts): the NaNs take the other's shape.
  return tf.where(undefinedRatio, tf.fill(a.rank >= b.rank ? a.shape : b.shape, Number.NaN), tf.div(a, b));
}

// The reduced value over an empty axis; tfjs leaves it uninitialised.
const EMPTY_REDUCTION = { sum: 0, prod: 1, max: Number.NEGATIVE_INFINITY } as const;
const INT32_MIN = -2147483648;

function reduce(p: 'sum' | 'prod' | 'max'): TfjsKernel<'sum' | 'prod' | 'max'> {
  return (tf, [x], { axes }, out) => {
    if (axes.length === 0) return tf.clone(x!);
    if (x!.size === 0) return tf.fill(out.shape as number[], p === 'max' && out.dtype === 'int32' ? INT32_MIN : EMPTY_REDUCTION[p], out.dtype as tfc.DataType);
    return tf[p](x!, axes);
  };
}

// The first NaN along the axis wins, as in NumPy and PyTorch; tfjs skips NaNs.
function argReduce(p: 'argmax' | 'argmin'): TfjsKernel<'argmax' | 'argmin'> {
  return (tf, [x], { axis }) => {
    const v = x!.dtype === 'bool' ? tf.cast(x!, 'int32') : x!;
    const plain = p === 'argmax' ? tf.argMax(v, axis) : tf.argMin(v, axis);
    if (!isFloat(v)) return plain;
    const nan = tf.isNaN(v);
    return tf.where(tf.any(nan, axis), tf.argMax(tf.cast(nan, 'int32'), axis), plain);
  };
}

// Out-of-range indices are an error, as on the cpu backend (tfjs would clamp or read garbage).
function checkIndices(op: string, indices: TfTensor, n: number, what: string): void {
  const idx = indices.dataSync();
  for (let j = 0; j < idx.length; j++) {
    const k = idx[j]!;
    if (k < 0 || k >= n) throw new RangeError(`${op}: index ${k} at flat position ${j} is out of range for ${what} of size ${n}`);
  }
}

// bool Reverse gives garbage on tfjs-wasm 4.22; reversing the int32 view is exact.
function reverse(tf: Tf, x: TfTensor, axes: number[]): TfTensor {
  if (axes.length === 0) return tf.clone(x);
  if (x.dtype !== 'bool') return tf.reverse(x, axes);
  return tf.cast(tf.reverse(tf.cast(x, 'int32'), axes), 'bool');
}

/**
 * tfjs-wasm's PadV2 gives wrong values from rank 7 on (vmap's batch axis on a rank-6 pad gets
 * there). An unpadded axis merges into the axis before it (whose padding then counts in rows of
 * the merged size), so the pad runs at rank 1 + the number of padded axes, and the result is
 * reshaped back.
 */
function pad(tf: Tf, x: TfTensor, paddings: readonly (readonly [number, number])[], value: number, out: TensorSpec): TfTensor {
  const shape: number[] = [];
  const pads: [number, number][] = [];
  x.shape.forEach((d, i) => {
    const [lo, hi] = paddings[i]!;
    const last = pads.length - 1;
    if (last >= 0 && lo === 0 && hi === 0) {
      shape[last]! *= d;
      pads[last] = [pads[last]![0] * d, pads[last]![1] * d];
    } else {
      shape.push(d);
      pads.push([lo, hi]);
    }
  });
  if (shape.length === x.rank) return tf.pad(x, pads, value);
  return tf.reshape(tf.pad(tf.reshape(x, shape), pads, value), out.shape as number[]);
}

/** scatterAdd as one ScatterNd over [indices, rows]: duplicates sum in tfjs's kernel. */
const scatterAdd: TfjsKernel<'scatterAdd'> = (tf, [indices, updates], { axis, size }, out) => {
  const r = indices!.rank;
  const pre = sizeOf(updates!.shape.slice(0, axis));
  const m = indices!.size;
  const post = sizeOf(updates!.shape.slice(axis + r));
  if (m === 0) return tf.zeros(out.shape as number[], out.dtype as tfc.DataType);
  checkIndices('scatterAdd', indices!, size, `output axis ${axis}`);
  const rows = tf.reshape(tf.transpose(tf.reshape(updates!, [pre, m, post]), [1, 0, 2]), [m, pre * post]);
  const summed = tf.scatterND(tf.reshape(indices!, [m, 1]), rows, [size, pre * post]);
  return tf.reshape(tf.transpose(tf.reshape(summed, [size, pre, post]), [1, 0, 2]), out.shape as number[]);
};

/**
 * The tfjs realisation of every primitive. The mapped type makes a missing primitive a compile
 * error. Only ops with forward kernels on both wasm and webgl are used; no tfjs gradients.
 */
export const KERNELS: { [P in Primitive]: TfjsKernel<P> } = {
  neg: unary((tf, x) => tf.neg(x)),
  abs: unary((tf, x) => tf.abs(x)),
  sign: unary(sign),
  exp: unary((tf, x) => tf.exp(x)),
  log: unary(log),
  log1p: unary(log1p),
  expm1: unary(expm1),
  sqrt: unary((tf, x) => tf.sqrt(x)),
  sin: unary((tf, x) => tf.sin(x)),
  cos: unary((tf, x) => tf.cos(x)),
  tanh: unary((tf, x) => tf.tanh(x)),
  sigmoid: unary((tf, x) => tf.sigmoid(x)),
  erf: unary(erf),
  erfc: unary(erfc),
  // → bool is x ≠ 0 (so NaN is true, where tfjs's Cast gives false).
  cast: (tf, [x], { dtype }) => {
    if (x!.dtype === dtype) return tf.clone(x!);
    if (dtype === 'bool') return tf.notEqual(x!, tf.zerosLike(x!));
    return tf.cast(x!, dtype as tfc.DataType);
  },
  add: binary((tf, a, b) => tf.add(a, b)),
  sub: binary((tf, a, b) => tf.sub(a, b)),
  mul: binary((tf, a, b) => tf.mul(a, b)),
  div: binary((tf, a, b) => (onWebgl(tf) && isFloat(a) ? webglDiv(tf, a, b) : tf.div(a, b))),
  pow: binary((tf, a, b) => tf.pow(a, b)),
  maximum: nanPropagating((tf, a, b) => tf.maximum(a, b)),
  minimum: nanPropagating((tf, a, b) => tf.minimum(a, b)),
  atan2: binary((tf, a, b) => tf.atan2(a, b)),
  equal: binary((tf, a, b) => tf.equal(a, b)),
  notEqual: binary((tf, a, b) => tf.notEqual(a, b)),
  greater: binary((tf, a, b) => tf.greater(a, b)),
  greaterEqual: binary((tf, a, b) => tf.greaterEqual(a, b)),
  less: binary((tf, a, b) => tf.less(a, b)),
  lessEqual: binary((tf, a, b) => tf.lessEqual(a, b)),
  where: (tf, [c, a, b]) => tf.where(c!, a!, b!),
  sum: reduce('sum'),
  prod: reduce('prod'),
  max: reduce('max'),
  argmax: argReduce('argmax'),
  argmin: argReduce('argmin'),
  cumsum: (tf, [x], { axis, reverse }) => tf.cumsum(x!, axis, false, reverse),
  reshape: (tf, [x], { shape }) => tf.reshape(x!, shape),
  transpose: (tf, [x], { perm }) => tf.transpose(x!, perm),
  broadcastTo: (tf, [x], { shape }) => tf.broadcastTo(x!, shape),
  slice: (tf, [x], { begin, size }) => tf.slice(x!, begin, size),
  pad: (tf, [x], { paddings, value }, out) => {
    if (x!.size === 0) return tf.fill(out.shape as number[], value, out.dtype as tfc.DataType);
    return pad(tf, x!, paddings, value, out);
  },
  concat: (tf, xs, { axis }) => {
    const parts = xs.filter((x) => x.size > 0);
    return parts.length === 1 ? tf.clone(parts[0]!) : tf.concat(parts, axis);
  },
  reverse: (tf, [x], { axes }) => reverse(tf, x!, axes),
  gather: (tf, [x, indices], { axis }) => {
    checkIndices('gather', indices!, x!.shape[axis]!, `axis ${axis} of input ${fmtShape(x!.shape)}`);
    if (x!.dtype !== 'bool') return tf.gather(x!, indices!, axis);
    return tf.cast(tf.gather(tf.cast(x!, 'int32'), indices!, axis), 'bool');
  },
  scatterAdd,
  matmul: (tf, [a, b], _attrs, out) => {
    if (a!.shape[a!.rank - 1] === 0) return tf.zeros(out.shape as number[], out.dtype as tfc.DataType);
    // k = 1 (outer products, vmap's per-example weight gradients): a broadcasting multiply, the
    // same single rounding of each product; tfjs-wasm's BatchMatMul took ~9× longer for [128, 784, 1]·[128, 1, 256].
    if (a!.shape[a!.rank - 1] === 1) return tf.mul(a!, b!);
    // No transpose flags: on wasm they cost ~5× (the kernel then walks memory across rows).
    return tf.matMul(a!, b!);
  },
  conv2d: (tf, [x, w], attrs, out) => {
    if (w!.shape[1] === 0 || w!.shape[2] === 0 || w!.shape[3] === 0) return tf.zeros(out.shape as number[], out.dtype as tfc.DataType);
    return conv2d(tf, x!, w!, attrs);
  },
};
