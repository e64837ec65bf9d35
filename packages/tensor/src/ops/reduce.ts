import { bind } from '../dispatch.js';
import { fmtShape, normalizeAxes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, div, sub } from './arithmetic.js';
import { less, where } from './compare.js';
import { reshape } from './movement.js';
import { assertFloat, assertTensor } from '../validate/tensor.js';
import { constant } from './operand.js';
import { abs, exp, log, neg } from './unary.js';

/** Options of the reductions: which axes (all when omitted) and whether to keep them as size 1. */
export interface ReduceOptions {
  axis?: number | readonly number[];
  keepdims?: boolean;
}

function reduceAxes(op: string, x: Tensor, options: ReduceOptions): number[] {
  assertTensor(op, 'x', x);
  return normalizeAxes(op, options.axis, x.rank);
}

/** Restores the reduced axes of `y` as size-1 dims when `keepdims` asks for it. */
function keep(y: Tensor, x: Tensor, axes: readonly number[], keepdims: boolean | undefined): Tensor {
  if (!keepdims) return y;
  return reshape(
    y,
    x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
  );
}

/** Sum over the given axes (all by default). */
export function sum(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axes = reduceAxes('sum', x, options);
  return keep(bind('sum', [x], { axes }), x, axes, options.keepdims);
}

/** Product over the given axes (all by default). */
export function prod(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axes = reduceAxes('prod', x, options);
  return keep(bind('prod', [x], { axes }), x, axes, options.keepdims);
}

/** Arithmetic mean over the given axes; NaN over an empty set, as 0/0. */
export function mean(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axes = reduceAxes('mean', x, options);
  assertFloat('mean', 'x', x);
  const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
  return div(sum(x, options), constant(n, x));
}

function assertNonEmpty(op: string, x: Tensor, axes: readonly number[]): void {
  for (const a of axes) {
    if (x.shape[a] === 0) throw new RangeError(`${op}: cannot reduce over axis ${a} of ${fmtShape(x.shape)}, which is empty`);
  }
}

/** Maximum over the given axes (NaN propagates). Empty axes are an error, as in NumPy. */
export function max(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axes = reduceAxes('max', x, options);
  assertNonEmpty('max', x, axes);
  return keep(bind('max', [x], { axes }), x, axes, options.keepdims);
}

/** Minimum over the given axes, as −max(−x). */
export function min(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axes = reduceAxes('min', x, options);
  assertNonEmpty('min', x, axes);
  return neg(max(neg(x), options));
}

/**
 * log Σ exp(x) over the given axes, stably: m + log Σ exp(x − m) with m the max. Gradients
 * stay exact because the terms in m cancel; an infinite m is replaced by 0 so rows of −Inf
 * give −Inf rather than NaN.
 */
export function logSumExp(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axes = reduceAxes('logSumExp', x, options);
  assertFloat('logSumExp', 'x', x);
  if (x.size === 0) return keep(log(sum(x, { axis: axes })), x, axes, options.keepdims);
  const m = max(x, { axis: axes, keepdims: true });
  const shift = where(less(abs(m), Infinity), m, 0);
  const out = add(log(sum(exp(sub(x, shift)), { axis: axes, keepdims: true })), shift);
  return options.keepdims ? out : reshape(out, x.shape.filter((_, i) => !axes.includes(i)));
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, options: { axis?: number; keepdims?: boolean }): Tensor {
  assertTensor(op, 'x', x);
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
export function argmax(x: Tensor, options: { axis?: number; keepdims?: boolean } = {}): Tensor {
  return argReduce('argmax', x, options);
}

/** Index (int32) of the smallest entry along `axis`, or of the flattened tensor when omitted; first wins on ties. */
export function argmin(x: Tensor, options: { axis?: number; keepdims?: boolean } = {}): Tensor {
  return argReduce('argmin', x, options);
}
