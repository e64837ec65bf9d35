/** Returns `n` when it is an integer ≥ `min`, else throws a RangeError naming the function, the argument and the value. */
export function assertInt(where: string, arg: string, n: unknown, min = 0): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) throw new RangeError(`${where}: ${arg} must be an integer ≥ ${min}, got ${String(n)}`);
  return n;
}
