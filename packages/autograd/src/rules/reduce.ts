import { type Tensor, bind, broadcastTo, cast, div, equal, expandDims, eye, mul, onesLike, prod, reshape, sum, tidy, transpose, where } from '@ddopt/tensor';
import { concreteOf } from '../batch.js';
import { withCurrent } from '../levels.js';
import type { JvpRule, VjpRule } from './types.js';
import { inversePerm, sumAxes, unreduce } from './util.js';

/** sum: the cotangent is broadcast back over the reduced axes. */
export const sumVjp: VjpRule<'sum'> = (g, [x], _y, { axes }) => [unreduce(g, x!.shape, axes)];
export const sumJvp: JvpRule<'sum'> = ([t], _x, _y, { axes }) => t && sumAxes(t, axes);

/**
 * ∂y/∂xᵢ of y = prod(x, axes), shaped like x: the product of the other elements of xᵢ's group.
 * Without a zero in x this is y / xᵢ, exact with all its derivatives near x. With one, the
 * quotient would be 0/0, so each group of n elements is laid out n times with xᵢ replaced by 1 in
 * copy i and multiplied out: O(n) times the memory, exact to every order for any zeros.
 */
function prodOthers(x: Tensor, y: Tensor, axes: readonly number[]): Tensor {
  // Inside vmap the test looks at the whole batch (one path for every example; both are exact).
  const values = concreteOf(x);
  if (withCurrent(undefined, () => tidy(() => sum(cast(equal(values, 0), 'int32')).item())) === 0) return div(unreduce(y, x.shape, axes), x);
  const kept = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const perm = [...kept, ...axes];
  const keptShape = kept.map((d) => x.shape[d]!);
  const n = axes.reduce((p, d) => p * x.shape[d]!, 1);
  const rows = broadcastTo(expandDims(reshape(transpose(x, perm), [...keptShape, n]), -2), [...keptShape, n, n]);
  const self = broadcastTo(cast(eye(n, n, 'int32'), 'bool'), rows.shape);
  const others = prod(where(self, onesLike(rows), rows), { axis: -1 });
  return transpose(reshape(others, perm.map((d) => x.shape[d]!)), inversePerm(perm));
}

/** prod: ∂y/∂xᵢ is the product of the other elements (see prodOthers). */
export const prodVjp: VjpRule<'prod'> = (g, [x], y, { axes }) => [mul(unreduce(g, x!.shape, axes), prodOthers(x!, y, axes))];
export const prodJvp: JvpRule<'prod'> = ([t], [x], y, { axes }) => t && sumAxes(mul(t, prodOthers(x!, y, axes)), axes);

/**
 * The weights of max's subgradient: 1/k at each of the k positions that attain the maximum,
 * 0 elsewhere (ties share equally). Built from a comparison, so it is a constant to outer levels.
 */
function maxWeights(x: Tensor, y: Tensor, axes: readonly number[]): Tensor {
  const hit = cast(equal(x, unreduce(y, x.shape, axes)), x.dtype);
  return div(hit, unreduce(sumAxes(hit, axes), x.shape, axes));
}

export const maxVjp: VjpRule<'max'> = (g, [x], y, { axes }) => [mul(unreduce(g, x!.shape, axes), maxWeights(x!, y, axes))];
export const maxJvp: JvpRule<'max'> = ([t], [x], y, { axes }) => t && sumAxes(mul(t, maxWeights(x!, y, axes)), axes);

/** cumsum's transpose is the cumsum in the other direction. */
export const cumsumVjp: VjpRule<'cumsum'> = (g, _x, _y, { axis, reverse }) => [bind('cumsum', [g], { axis, reverse: !reverse })];
export const cumsumJvp: JvpRule<'cumsum'> = ([t], _x, _y, attrs) => t && bind('cumsum', [t], attrs);
