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
  erf: Record<string, never>;
  erfc: Record<string, never>;
  cast: { dtype: DType };
  // binary elementwise on equal shapes and dtypes
  add: Record<string, never>;
  sub: Record<string, never>;
  mul: Record<string, never>;
  div: Record<string, never>;
  pow: Record<string, never>;
  maximum: Record<string, never>;
  minimum: Record<string, never>;
  atan2: Record<string, never>;
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

/** A primitive's family: the elementwise ones share kernels, rules and validation. */
export type PrimitiveKind = 'unary' | 'cast' | 'binary' | 'compare' | 'where' | 'reduce' | 'argReduce' | 'scan' | 'movement' | 'contraction';

/** The dtypes a primitive's first input may have: floats, floats and int32, or any dtype. */
export type InputDTypes = 'float' | 'numeric' | 'any';

/** What ddopt knows about a primitive besides its attributes. */
export interface PrimitiveInfo {
  readonly kind: PrimitiveKind;
  readonly dtypes: InputDTypes;
}

/**
 * One descriptor per primitive. `satisfies` makes a primitive of `PrimitiveAttrs` without a
 * descriptor (or a descriptor without a primitive) a compile error, and `PRIMITIVES` (which the
 * rule-coverage tests walk) is derived from it, so no primitive can be left out of them.
 */
export const PRIMITIVE_INFO = {
  neg: { kind: 'unary', dtypes: 'numeric' },
  abs: { kind: 'unary', dtypes: 'numeric' },
  sign: { kind: 'unary', dtypes: 'numeric' },
  exp: { kind: 'unary', dtypes: 'float' },
  log: { kind: 'unary', dtypes: 'float' },
  log1p: { kind: 'unary', dtypes: 'float' },
  expm1: { kind: 'unary', dtypes: 'float' },
  sqrt: { kind: 'unary', dtypes: 'float' },
  sin: { kind: 'unary', dtypes: 'float' },
  cos: { kind: 'unary', dtypes: 'float' },
  tanh: { kind: 'unary', dtypes: 'float' },
  sigmoid: { kind: 'unary', dtypes: 'float' },
  erf: { kind: 'unary', dtypes: 'float' },
  erfc: { kind: 'unary', dtypes: 'float' },
  cast: { kind: 'cast', dtypes: 'any' },
  add: { kind: 'binary', dtypes: 'numeric' },
  sub: { kind: 'binary', dtypes: 'numeric' },
  mul: { kind: 'binary', dtypes: 'numeric' },
  div: { kind: 'binary', dtypes: 'float' },
  pow: { kind: 'binary', dtypes: 'float' },
  maximum: { kind: 'binary', dtypes: 'numeric' },
  minimum: { kind: 'binary', dtypes: 'numeric' },
  atan2: { kind: 'binary', dtypes: 'float' },
  equal: { kind: 'compare', dtypes: 'any' },
  notEqual: { kind: 'compare', dtypes: 'any' },
  greater: { kind: 'compare', dtypes: 'any' },
  greaterEqual: { kind: 'compare', dtypes: 'any' },
  less: { kind: 'compare', dtypes: 'any' },
  lessEqual: { kind: 'compare', dtypes: 'any' },
  where: { kind: 'where', dtypes: 'any' },
  sum: { kind: 'reduce', dtypes: 'numeric' },
  prod: { kind: 'reduce', dtypes: 'numeric' },
  max: { kind: 'reduce', dtypes: 'numeric' },
  argmax: { kind: 'argReduce', dtypes: 'any' },
  argmin: { kind: 'argReduce', dtypes: 'any' },
  cumsum: { kind: 'scan', dtypes: 'numeric' },
  reshape: { kind: 'movement', dtypes: 'any' },
  transpose: { kind: 'movement', dtypes: 'any' },
  broadcastTo: { kind: 'movement', dtypes: 'any' },
  slice: { kind: 'movement', dtypes: 'any' },
  pad: { kind: 'movement', dtypes: 'any' },
  concat: { kind: 'movement', dtypes: 'any' },
  reverse: { kind: 'movement', dtypes: 'any' },
  gather: { kind: 'movement', dtypes: 'any' },
  scatterAdd: { kind: 'movement', dtypes: 'any' },
  matmul: { kind: 'contraction', dtypes: 'float' },
  conv2d: { kind: 'contraction', dtypes: 'float' },
} as const satisfies Record<Primitive, PrimitiveInfo>;

/** The primitives of one family. */
type OfKind<K extends PrimitiveKind> = { [P in Primitive]: (typeof PRIMITIVE_INFO)[P]['kind'] extends K ? P : never }[Primitive];

export type UnaryPrimitive = OfKind<'unary'>;
export type BinaryPrimitive = OfKind<'binary'>;
export type ComparePrimitive = OfKind<'compare'>;

/** Every primitive name, for coverage tables and exhaustive rule checks. */
export const PRIMITIVES = Object.keys(PRIMITIVE_INFO) as readonly Primitive[];
