import { type Tensor, add, broadcastTo, cast, div, equal, greater, isFloat, less, log, mul, neg, pow, sub, sum, where, zerosLike } from '@ddopt/tensor';
import type { JvpRule, MaybeTensor, VjpRule } from './types.js';
import { addAll } from './util.js';

/** log(a) where a > 0, else 0 — the "safe where" keeps NaNs out of both branches and of their derivatives. */
function safeLog(a: Tensor): Tensor {
  const pos = greater(a, 0);
  return where(pos, log(where(pos, a, 1)), 0);
}

/**
 * The weight of `a` in maximum(a, b) (or minimum): 1 where a wins, 0 where b wins, ½ at ties —
 * ties split the derivative equally, a valid (and symmetric) subgradient.
 */
function winnerWeight(a: Tensor, b: Tensor, wins: (a: Tensor, b: Tensor) => Tensor): Tensor {
  return add(cast(wins(a, b), a.dtype), mul(cast(equal(a, b), a.dtype), 0.5));
}

/** The partial derivative factors (∂out/∂a, ∂out/∂b) of a binary primitive, as `v ↦ v·∂` maps. */
type Partials = (a: Tensor, b: Tensor, y: Tensor) => [(v: Tensor) => Tensor, (v: Tensor) => Tensor];

const partials = {
  add: () => [(v) => v, (v) => v],
  sub: () => [(v) => v, (v) => neg(v)],
  mul: (a, b) => [(v) => mul(v, b), (v) => mul(v, a)],
  div: (_a, b, y) => [(v) => div(v, b), (v) => neg(div(mul(v, y), b))],
  // d/da a^b = b·a^(b−1);  d/db a^b = a^b·log a (taken as 0 where a ≤ 0, where it is undefined)
  pow: (a, b, y) => [(v) => mul(v, mul(b, pow(a, sub(b, 1)))), (v) => mul(v, mul(y, safeLog(a)))],
  maximum: (a, b) => {
    const w = winnerWeight(a, b, greater);
    return [(v) => mul(v, w), (v) => mul(v, sub(1, w))];
  },
  minimum: (a, b) => {
    const w = winnerWeight(a, b, less);
    return [(v) => mul(v, w), (v) => mul(v, sub(1, w))];
  },
  // atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²) (undefined at the origin, as the angle is)
  atan2: (y, x) => {
    const r2 = add(mul(x, x), mul(y, y));
    return [(v) => div(mul(v, x), r2), (v) => neg(div(mul(v, y), r2))];
  },
} satisfies Record<string, Partials>;

type BinaryPrimitive = keyof typeof partials;

// An operand may be a rank-0 scalar that met every element of the other (see the primitive's
// spec): its cotangent sums over all of them, and a tangent term of its shape spreads to y's.
const toShapeOf = (x: Tensor, v: Tensor): Tensor => (x.rank === 0 && v.rank > 0 ? sum(v) : v);
const toOutput = (y: Tensor, v: Tensor): Tensor => (v.rank === 0 && y.rank > 0 ? broadcastTo(v, y.shape) : v);

function vjp<P extends BinaryPrimitive>(p: P): VjpRule<P> {
  return (g, [a, b], y, _attrs, needs) => {
    const [da, db] = (partials[p] as Partials)(a!, b!, y);
    return [needs[0] ? toShapeOf(a!, da(g)) : undefined, needs[1] ? toShapeOf(b!, db(g)) : undefined];
  };
}

function jvp<P extends BinaryPrimitive>(p: P): JvpRule<P> {
  return ([ta, tb], [a, b], y) => {
    const [da, db] = (partials[p] as Partials)(a!, b!, y);
    const terms: MaybeTensor[] = [ta && toOutput(y, da(ta)), tb && toOutput(y, db(tb))];
    return addAll(terms, add);
  };
}

const names = Object.keys(partials) as BinaryPrimitive[];
export const binaryVjp = Object.fromEntries(names.map((p) => [p, vjp(p)])) as { [P in BinaryPrimitive]: VjpRule<P> };
export const binaryJvp = Object.fromEntries(names.map((p) => [p, jvp(p)])) as { [P in BinaryPrimitive]: JvpRule<P> };

/**
 * where(cond, a, b): the cotangent goes to the branch that was taken. Zeros are made with
 * zerosLike (an upload) rather than a number operand (a scalar broadcast kernel, slower on tfjs).
 */
export const whereVjp: VjpRule<'where'> = (g, [c], _y, _attrs, needs) => {
  const zero = zerosLike(g);
  return [undefined, needs[1] ? where(c!, g, zero) : undefined, needs[2] ? where(c!, zero, g) : undefined];
};

export const whereJvp: JvpRule<'where'> = ([, ta, tb], [c], y) => (ta === undefined && tb === undefined ? undefined : where(c!, ta ?? zerosLike(y), tb ?? zerosLike(y)));

/** cast between float dtypes is differentiable (the cotangent is cast back); to or from int/bool it is not. */
export const castVjp: VjpRule<'cast'> = (g, [x], y) => [isFloat(x!.dtype) && isFloat(y.dtype) ? cast(g, x!.dtype) : undefined];

export const castJvp: JvpRule<'cast'> = ([t], [x], y) => (t !== undefined && isFloat(x!.dtype) && isFloat(y.dtype) ? cast(t, y.dtype) : undefined);
