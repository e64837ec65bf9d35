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
