import type { DType } from './dtype.js';

/**
 * The closed set of primitives. Every op in ddopt is a composition of these; a backend
 * implements each one as a kernel, and `@ddopt/autograd` gives each one a VJP and a JVP rule.
 *
 * Conventions that keep the kernels and the rules small:
 * - elementwise binary primitives and `where` take inputs of one shape (composites broadcast
 *   explicitly with `broadcastTo`, whose rule sums back);
 * - reductions drop the reduced axes (composites restore them with `reshape` for `keepdims`);
 * - every primitive has exactly one output.
 */
export interface PrimitiveAttrs {
  // unary elementwise (float in, same dtype out; neg/abs/sign also int32)
  neg: Record<string, never>;
  abs: Record<string, never>;
  sign: Record<string, never>;
  exp: Record<string, never>;
  log: Record<string, never>;
  log1p: Record<string, never>;
  expm1: Record<string, never>;
  sqrt: Record<string, never>;
  sin: Record<string, never>;
  cos: Record<string, never>;
  tanh: Record<string, never>;
  sigmoid: Record<string, never>;
  cast: { dtype: DType };
  // binary elementwise on equal shapes and dtypes
  add: Record<string, never>;
  sub: Record<string, never>;
  mul: Record<string, never>;
  div: Record<string, never>;
  pow: Record<string, never>;
  maximum: Record<string, never>;
  minimum: Record<string, never>;
  // comparisons on equal shapes and dtypes, bool out
  equal: Record<string, never>;
  notEqual: Record<string, never>;
  greater: Record<string, never>;
  greaterEqual: Record<string, never>;
  less: Record<string, never>;
  lessEqual: Record<string, never>;
  // ternary: where(cond: bool, a, b), all one shape
  where: Record<string, never>;
  // reductions over sorted unique `axes`, which are dropped from the shape
  sum: { axes: number[] };
  prod: { axes: number[] };
  max: { axes: number[] };
  argmax: { axis: number };
  argmin: { axis: number };
  // scans
  cumsum: { axis: number; reverse: boolean };
  // movement
  reshape: { shape: number[] };
  transpose: { perm: number[] };
  broadcastTo: { shape: number[] };
  slice: { begin: number[]; size: number[] };
  pad: { paddings: [number, number][]; value: number };
  concat: { axis: number };
  reverse: { axes: number[] };
  gather: { axis: number };
  scatterAdd: { axis: number; size: number };
  // contractions
  matmul: Record<string, never>;
  conv2d: { stride: [number, number]; padding: [[number, number], [number, number]]; dilation: [number, number]; groups: number };
}

/** Name of a primitive. */
export type Primitive = keyof PrimitiveAttrs;

/** Attributes of primitive `P`. */
export type Attrs<P extends Primitive> = PrimitiveAttrs[P];

export const UNARY_PRIMITIVES = ['neg', 'abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid'] as const;
export const BINARY_PRIMITIVES = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;
export const COMPARE_PRIMITIVES = ['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual'] as const;

export type UnaryPrimitive = (typeof UNARY_PRIMITIVES)[number];
export type BinaryPrimitive = (typeof BINARY_PRIMITIVES)[number];
export type ComparePrimitive = (typeof COMPARE_PRIMITIVES)[number];

/** Every primitive name, for coverage tables and exhaustive rule checks. */
export const PRIMITIVES: readonly Primitive[] = [
  ...UNARY_PRIMITIVES,
  'cast',
  ...BINARY_PRIMITIVES,
  ...COMPARE_PRIMITIVES,
  'where',
  'sum',
  'prod',
  'max',
  'argmax',
  'argmin',
  'cumsum',
  'reshape',
  'transpose',
  'broadcastTo',
  'slice',
  'pad',
  'concat',
  'reverse',
  'gather',
  'scatterAdd',
  'matmul',
  'conv2d',
];
