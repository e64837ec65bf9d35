import { bind } from '../dispatch.js';
import { fmtShape, normalizeAxes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, div, sub } from './arithmetic.js';
import { less, where } from './compare.js';
import { reshape } from './movement.js';
import { reshapeOrSelf } from './alias.js';
import { assertFloat, assertTensor } from '../validate/tensor.js';
import { type OptionSpec, checkOptions, option } from '../validate/options.js';
import { fmtValue } from '../validate/value.js';
import { constant } from './operand.js';
import { abs, exp, log, neg } from './unary.js';

/** Options of the reductions: which axes (all when omitted) and whether to keep them as size 1. */
export interface ReduceOptions {
  axis?: number | readonly number[];
  keepdims?: boolean;
}

const AXIS = option.number({ integer: true });
const REDUCE: OptionSpec<ReduceOptions> = { axis: option.anyOf(AXIS, option.arrayOf(AXIS)), keepdims: option.boolean() };
const ARG_REDUCE: OptionSpec<ArgReduceOptions> = { axis: AXIS, keepdims: option.boolean() };

// NumPy's and PyTorch's habit sum(x, 1) is refused with the call that does it here.
const axisHint = (op: string) => (v: unknown) =>
  typeof v === 'number' || Array.isArray(v) ? `the axis goes in the options: write ${op}(x, { axis: ${fmtValue(v)} })` : undefined;

function reduceAxes(op: string, x: Tensor, options: ReduceOptions | undefined): { axes: number[]; options: ReduceOptions } {
  assertTensor(op, 'x', x);
  const o = checkOptions(op, options, REDUCE, { hint: axisHint(op) });
  return { axes: normalizeAxes(op, o.axis, x.rank), options: o };
}

/** Restores the reduced axes of `y` as size-1 dims when `keepdims` asks for it. */
function keep(y: Tensor, x: Tensor, axes: readonly number[], keepdims: boolean | undefined): Tensor {
  if (!keepdims) return y;
  return reshapeOrSelf(
    y,
    x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
  );
}

/** Sum over the given axes (all by default). */
export function sum(x: Tensor, options?: ReduceOptions): Tensor {
  const { axes, options: o } = reduceAxes('sum', x, options);
  return keep(bind('sum', [x], { axes }), x, axes, o.keepdims);
}

/** Product over the given axes (all by default). */
export function prod(x: Tensor, options?: ReduceOptions): Tensor {
  const { axes, options: o } = reduceAxes('prod', x, options);
  return keep(bind('prod', [x], { axes }), x, axes, o.keepdims);
}

/** Arithmetic mean over the given axes; NaN over an empty set, as 0/0. */
export function mean(x: Tensor, options?: ReduceOptions): Tensor {
  const { axes, options: o } = reduceAxes('mean', x, options);
  assertFloat('mean', 'x', x);
  const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
  return div(sum(x, o), constant(n, x));
}

function assertNonEmpty(op: string, x: Tensor, axes: readonly number[]): void {
  for (const a of axes) {
    if (x.shape[a] === 0) throw new RangeError(`${op}: cannot reduce over axis ${a} of ${fmtShape(x.shape)}, which is empty`);
  }
}

/** Maximum over the given axes (NaN propagates). Empty axes are an error, as in NumPy. */
export function max(x: Tensor, options?: ReduceOptions): Tensor {
  const { axes, options: o } = reduceAxes('max', x, options);
  assertNonEmpty('max', x, axes);
  return keep(bind('max', [x], { axes }), x, axes, o.keepdims);
}

/** Minimum over the given axes, as −max(−x). */
export function min(x: Tensor, options?: ReduceOptions): Tensor {
  const { axes, options: o } = reduceAxes('min', x, options);
  assertNonEmpty('min', x, axes);
  return neg(max(neg(x), o));
}

/**
 * log Σ exp(x) over the given axes, stably: m + log Σ exp(x − m) with m the max. Gradients
 * stay exact because the terms in m cancel; an infinite m is replaced by 0 so rows of −Inf
 * give −Inf rather than NaN.
 */
export function logSumExp(x: Tensor, options?: ReduceOptions): Tensor {
  const { axes, options: o } = reduceAxes('logSumExp', x, options);
  assertFloat('logSumExp', 'x', x);
  if (x.size === 0) return keep(log(sum(x, { axis: axes })), x, axes, o.keepdims);
  const m = max(x, { axis: axes, keepdims: true });
  const shift = where(less(abs(m), Infinity), m, 0);
  const out = add(log(sum(exp(sub(x, shift)), { axis: axes, keepdims: true })), shift);
  return o.keepdims ? out : reshapeOrSelf(out, x.shape.filter((_, i) => !axes.includes(i)));
}

/** Options of `argmax`/`argmin`: one axis (the flattened tensor when omitted) and whether to keep it as size 1. */
export interface ArgReduceOptions {
  axis?: number;
  keepdims?: boolean;
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, given: ArgReduceOptions | undefined): Tensor {
  assertTensor(op, 'x', x);
  const options = checkOptions(op, given, ARG_REDUCE, { hint: axisHint(op) });
  if (options.axis === undefined) {
    const flat = reshape(x, [x.size]);
    const i = bind(op, [flat], { axis: 0 });
    return options.keepdims ? reshape(i, x.shape.map(() => 1)) : i;
  }
  const a = normalizeAxis(op, options.axis, x.rank);
  if (x.shape[a] === 0) throw new RangeError(`${op}: cannot reduce over axis ${a} of ${fmtShape(x.shape)}, which is empty`);
  return keep(bind(op, [x], { axis: a }), x, [a], options.keepdims);
}

/** Index (int32) of the largest entry along `axis`, or of the flattened tensor when omitted; first wins on ties. */
export function argmax(x: Tensor, options?: ArgReduceOptions): Tensor {
  return argReduce('argmax', x, options);
}

/** Index (int32) of the smallest entry along `axis`, or of the flattened tensor when omitted; first wins on ties. */
export function argmin(x: Tensor, options?: ArgReduceOptions): Tensor {
  return argReduce('argmin', x, options);
}
