import { assertInt } from './int.js';
import { type Check, option } from './options.js';
import { fmtValue } from './value.js';

/** One number for both spatial axes, or [height, width]. */
export type Pair = number | readonly [number, number];

/**
 * Normalizes a number-or-[height, width] option to two integers ≥ `min`; an absent option takes
 * `fallback` on both axes, or throws when there is no fallback (a required option).
 */
export function pair(where: string, name: string, v: Pair | undefined, fallback: number | undefined, min: number): [number, number] {
  if (v === undefined) {
    if (fallback === undefined) throw new TypeError(`${where}: ${name} is required (a number or [height, width])`);
    return [fallback, fallback];
  }
  if (typeof v !== 'number' && (!Array.isArray(v) || v.length !== 2)) throw new TypeError(`${where}: ${name} must be a number or a pair [height, width], got ${fmtValue(v)}`);
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  for (const n of p) assertInt(where, name, n, min);
  return p;
}

/** The option check of a number-or-[height, width] option whose entries are integers ≥ `min`. */
export function pairOption(min: number): Check<Pair, false> {
  return option.from(`an integer ≥ ${min} or a pair [height, width] of them`, (where, name, v) => {
    pair(where, name, v as Pair, undefined, min);
    return v as Pair;
  });
}
