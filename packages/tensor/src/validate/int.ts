import { fmtValue } from './value.js';

/** Returns `n` when it is an integer ≥ `min`, else throws (TypeError for a non-number, RangeError otherwise) naming the function, the argument and the value. */
export function assertInt(where: string, arg: string, n: unknown, min = 0): number {
  if (typeof n !== 'number') throw new TypeError(`${where}: ${arg} must be an integer ≥ ${min}, got ${fmtValue(n)}`);
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${where}: ${arg} must be an integer ≥ ${min}, got ${fmtValue(n)}`);
  return n;
}
