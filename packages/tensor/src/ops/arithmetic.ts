import { bind } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { type Operand, operands } from './operand.js';

/** Elementwise a + b with NumPy broadcasting. */
export function add(a: Operand, b: Operand): Tensor {
  return bind('add', operands('add', a, b), {});
}

/** Elementwise a − b with NumPy broadcasting. */
export function sub(a: Operand, b: Operand): Tensor {
  return bind('sub', operands('sub', a, b), {});
}

/** Elementwise a · b with NumPy broadcasting. */
export function mul(a: Operand, b: Operand): Tensor {
  return bind('mul', operands('mul', a, b), {});
}

/** Elementwise a / b with NumPy broadcasting (IEEE: x/0 is ±Inf or NaN). */
export function div(a: Operand, b: Operand): Tensor {
  return bind('div', operands('div', a, b), {});
}

/** Elementwise a ** b with NumPy broadcasting (float dtypes). */
export function pow(a: Operand, b: Operand): Tensor {
  return bind('pow', operands('pow', a, b), {});
}

/** Elementwise maximum with NumPy broadcasting; NaN wins, as in IEEE-propagating NumPy. */
export function maximum(a: Operand, b: Operand): Tensor {
  return bind('maximum', operands('maximum', a, b), {});
}

/** Elementwise minimum with NumPy broadcasting; NaN wins. */
export function minimum(a: Operand, b: Operand): Tensor {
  return bind('minimum', operands('minimum', a, b), {});
}

/** Elementwise angle of the point (x, y), atan2(y, x) in [−π, π], with NumPy broadcasting (float dtypes; IEEE `Math.atan2` on cpu). */
export function atan2(y: Operand, x: Operand): Tensor {
  return bind('atan2', operands('atan2', y, x), {});
}
