import { bind } from '../dispatch.js';
import type { UnaryPrimitive } from '../primitives.js';
import type { Tensor } from '../tensor.js';
import { add, div, maximum, minimum, mul } from './arithmetic.js';
import { less, lessEqual, where } from './compare.js';
import { assertTensor } from '../validate/tensor.js';
import { constant } from './operand.js';

function unary(p: UnaryPrimitive, x: Tensor): Tensor {
  assertTensor(p, 'x', x);
  return bind(p, [x], {});
}

/** Elementwise −x. */
export function neg(x: Tensor): Tensor {
  return unary('neg', x);
}

/** Elementwise |x|. */
export function abs(x: Tensor): Tensor {
  return unary('abs', x);
}

/** Elementwise sign: −1, 0 or 1 (NaN stays NaN). */
export function sign(x: Tensor): Tensor {
  return unary('sign', x);
}

/** Elementwise eˣ. */
export function exp(x: Tensor): Tensor {
  return unary('exp', x);
}

/** Elementwise natural logarithm (log 0 = −Inf, log of a negative = NaN). */
export function log(x: Tensor): Tensor {
  return unary('log', x);
}

/** Elementwise log(1 + x), accurate near 0. */
export function log1p(x: Tensor): Tensor {
  return unary('log1p', x);
}

/** Elementwise eˣ − 1, accurate near 0. */
export function expm1(x: Tensor): Tensor {
  return unary('expm1', x);
}

/** Elementwise square root. */
export function sqrt(x: Tensor): Tensor {
  return unary('sqrt', x);
}

/** Elementwise sine. */
export function sin(x: Tensor): Tensor {
  return unary('sin', x);
}

/** Elementwise cosine. */
export function cos(x: Tensor): Tensor {
  return unary('cos', x);
}

/** Elementwise hyperbolic tangent. */
export function tanh(x: Tensor): Tensor {
  return unary('tanh', x);
}

/** Elementwise logistic function 1 / (1 + e⁻ˣ). */
export function sigmoid(x: Tensor): Tensor {
  return unary('sigmoid', x);
}

/** Elementwise error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt (float64: to rounding, relative error < 1e-15). */
export function erf(x: Tensor): Tensor {
  return unary('erf', x);
}

/** Elementwise complementary error function 1 − erf(x), with full relative accuracy where it is tiny (large x). */
export function erfc(x: Tensor): Tensor {
  return unary('erfc', x);
}

/** Elementwise x², as x · x. */
export function square(x: Tensor): Tensor {
  assertTensor('square', 'x', x);
  return mul(x, x);
}

/** Elementwise 1 / x. */
export function reciprocal(x: Tensor): Tensor {
  assertTensor('reciprocal', 'x', x);
  return div(constant(1, x), x);
}

/**
 * Elementwise max(x, 0), built as `where(x ≤ 0, 0, x)`: the (sub)gradient at 0 is 0 and NaN
 * passes through (NaN ≤ 0 is false).
 */
export function relu(x: Tensor): Tensor {
  assertTensor('relu', 'x', x);
  if (x.dtype === 'bool') throw new TypeError('relu: x must be float32, float64 or int32, got bool');
  const zero = constant(0, x);
  return where(lessEqual(x, zero), zero, x);
}

/** Elementwise log(1 + eˣ), computed stably: log1p(eˣ) for x < 0 and x + log1p(e⁻ˣ) for x ≥ 0. */
export function softplus(x: Tensor): Tensor {
  assertTensor('softplus', 'x', x);
  // Two smooth branches picked by `where` rather than max(x, 0) + log1p(e^−|x|): that form has a kink
  // in each term at 0, so its second derivative there came out 0 instead of σ'(0) = 1/4. Each branch
  // sees only its own side of 0 (no overflow in eˣ), and the branch not taken gets a zero derivative.
  const zero = constant(0, x);
  const negative = less(x, zero);
  const below = where(negative, x, zero);
  const above = where(negative, zero, x);
  return where(negative, log1p(exp(below)), add(above, log1p(exp(neg(above)))));
}

/** Clamps x elementwise into [min, max]; bounds may be numbers or broadcastable tensors. */
export function clip(x: Tensor, min: Tensor | number, max: Tensor | number): Tensor {
  assertTensor('clip', 'x', x);
  if (typeof min === 'number' && typeof max === 'number' && !(min <= max)) {
    throw new RangeError(`clip: min (${min}) must not exceed max (${max})`);
  }
  return minimum(maximum(x, min), max);
}
