// Option declarations shared by the datasets package (on @ddopt/tensor/validate's `option`).
import type { Key } from '@ddopt/tensor';
import { fmtValue, option } from '@ddopt/tensor/validate';

/** A PRNG key. */
export const KEY = option.key<Key>();
/** A seed for prng (a safe integer). */
export const SEED = option.number({ integer: true, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
/** A float dtype. */
export const FLOAT_DTYPE = option.oneOf(['float32', 'float64']);
/** A layout of image data. */
export const LAYOUT = option.oneOf(['flat', 'image']);

/** For functions whose main option people pass positionally (`mnist(100)`): the call that means it. */
export function positionalHint(call: (v: string) => string): (v: unknown) => string | undefined {
  return (v) => (typeof v === 'number' || typeof v === 'string' || Array.isArray(v) ? `write ${call(fmtValue(v))}` : undefined);
}

/**
 * Seed and key choose the order of a shuffle: refused when there is no shuffle (they would be
 * ignored) and when both are given (which one wins would be a guess).
 */
export function checkShuffleSource(where: string, o: { shuffle: boolean; seed?: number; key?: Key; epoch?: number }): void {
  if (o.seed !== undefined && o.key !== undefined) throw new TypeError(`${where}: give seed or key, not both`);
  if (!o.shuffle) {
    for (const k of ['seed', 'key', 'epoch'] as const) {
      if (o[k] !== undefined) throw new TypeError(`${where}: ${k} has no effect without shuffle: true (got ${k} ${fmtValue(o[k])} and shuffle false)`);
    }
  } else if (o.seed === undefined && o.key === undefined) {
    throw new TypeError(`${where}: shuffle needs a seed (or key); nothing is random without one`);
  }
}
