import { type Tensor, isTensor } from '../tensor.js';
import { fmtValue } from './value.js';

/** Throws a TypeError unless `x` is a Tensor, naming the function, the argument and what it got. */
export function assertTensor(where: string, arg: string, x: unknown): asserts x is Tensor {
  if (!isTensor(x)) throw new TypeError(`${where}: ${arg} must be a Tensor, got ${fmtValue(x)}`);
}

/** Throws a TypeError unless `x` holds floats, naming the function, the argument and the dtype seen. */
export function assertFloat(where: string, arg: string, x: Tensor): void {
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new TypeError(`${where}: ${arg} must be float32 or float64, got ${x.dtype}`);
}
