import { type Tensor, add, cos, div, exp, mul, neg, sign, sin, sub } from '@ddopt/tensor';
import type { JvpRule, MaybeTensor, VjpRule } from './types.js';

// erf′(x) = (2/√π)·e^(−x²) = e^(log(2/√π) − x²): the constant folded into the exponent saves a product.
const LOG_TWO_OVER_SQRT_PI = Math.log(2 / Math.sqrt(Math.PI));
const erfSlope = (x: Tensor) => exp(sub(LOG_TWO_OVER_SQRT_PI, mul(x, x)));

/**
 * For each elementwise unary primitive y = f(x): `v ↦ v · f'(x)`, written with ops on x and y.
 * The Jacobian is diagonal, so the same map is the VJP and the JVP. Forms without number
 * operands are preferred where they cost no more ops: a number becomes a broadcast kernel.
 */
const scale = {
  neg: (v: Tensor) => neg(v),
  abs: (v: Tensor, x: Tensor) => mul(v, sign(x)), // subgradient 0 at x = 0
  sign: () => undefined, // piecewise constant: derivative 0 (at 0 too)
  exp: (v: Tensor, _x: Tensor, y: Tensor) => mul(v, y),
  log: (v: Tensor, x: Tensor) => div(v, x),
  log1p: (v: Tensor, x: Tensor) => div(v, add(x, 1)),
  expm1: (v: Tensor, _x: Tensor, y: Tensor) => add(mul(v, y), v),
  sqrt: (v: Tensor, _x: Tensor, y: Tensor) => div(v, add(y, y)),
  sin: (v: Tensor, x: Tensor) => mul(v, cos(x)),
  cos: (v: Tensor, x: Tensor) => neg(mul(v, sin(x))),
  tanh: (v: Tensor, _x: Tensor, y: Tensor) => sub(v, mul(mul(v, y), y)), // v·(1 − y²)
  sigmoid: (v: Tensor, _x: Tensor, y: Tensor) => {
    const vy = mul(v, y);
    return sub(vy, mul(vy, y)); // v·y·(1 − y)
  },
  erf: (v: Tensor, x: Tensor) => mul(v, erfSlope(x)),
  erfc: (v: Tensor, x: Tensor) => neg(mul(v, erfSlope(x))),
} satisfies Record<string, (v: Tensor, x: Tensor, y: Tensor) => MaybeTensor>;

type UnaryPrimitive = keyof typeof scale;

function vjp<P extends UnaryPrimitive>(p: P): VjpRule<P> {
  return (g, [x], y) => [scale[p](g, x!, y)];
}

function jvp<P extends UnaryPrimitive>(p: P): JvpRule<P> {
  return ([t], [x], y) => (t === undefined ? undefined : scale[p](t, x!, y));
}

export const unaryVjp = Object.fromEntries(Object.keys(scale).map((p) => [p, vjp(p as UnaryPrimitive)])) as { [P in UnaryPrimitive]: VjpRule<P> };
export const unaryJvp = Object.fromEntries(Object.keys(scale).map((p) => [p, jvp(p as UnaryPrimitive)])) as { [P in UnaryPrimitive]: JvpRule<P> };
