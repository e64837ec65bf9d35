import type { Tensor } from '@ddopt/tensor';

/** Inputs `x` (first axis = samples) and targets `y` (int32 class labels or float targets). */
export interface Dataset {
  x: Tensor;
  y: Tensor;
  /** Class names by label index, for classification data. */
  classNames?: string[];
}

/** Float dtypes a dataset can be materialized in. */
export type FloatDType = 'float32' | 'float64';

/** @internal Formats a shape for error messages. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** @internal Throws unless `n` is an integer ≥ `min`, naming the function and option. */
export function checkInt(where: string, arg: string, n: unknown, min = 1): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) throw new RangeError(`${where}: ${arg} must be an integer ≥ ${min}, got ${String(n)}`);
  return n;
}
