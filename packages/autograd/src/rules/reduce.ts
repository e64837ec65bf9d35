import { type Tensor, bind, cast, div, equal, mul } from '@ddopt/tensor';
import type { JvpRule, VjpRule } from './types.js';
import { sumAxes, unreduce } from './util.js';

/** sum: the cotangent is broadcast back over the reduced axes. */
export const sumVjp: VjpRule<'sum'> = (g, [x], _y, { axes }) => [unreduce(g, x!.shape, axes)];
export const sumJvp: JvpRule<'sum'> = ([t], _x, _y, { axes }) => t && sumAxes(t, axes);

/** prod: ∂y/∂xᵢ = y / xᵢ. Written as a quotient, so it is NaN where an input is exactly 0 (documented limitation). */
export const prodVjp: VjpRule<'prod'> = (g, [x], y, { axes }) => [div(unreduce(mul(g, y), x!.shape, axes), x!)];
export const prodJvp: JvpRule<'prod'> = ([t], [x], y, { axes }) => t && sumAxes(div(mul(t, unreduce(y, x!.shape, axes)), x!), axes);

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
