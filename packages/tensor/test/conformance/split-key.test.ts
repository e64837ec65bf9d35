// `split` is both the tensor op and the random API's `split(key, n)`; a Key goes to splitKey.
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/creation.js';
import { split } from '../../src/ops/index.js';
import { isKey, prng, splitKey } from '../../src/random.js';

describe('split', () => {
  it('splits a PRNG key exactly like splitKey', () => {
    const keys = split(prng(7), 3);
    expect(keys.length).toBe(3);
    expect(keys.every(isKey)).toBe(true);
    expect(keys).toEqual(splitKey(prng(7), 3));
    expect(split(prng(7))).toEqual(splitKey(prng(7)));
  });

  it('refuses sizes for a key and a missing count for a tensor', () => {
    expect(() => split(prng(1), [1, 2] as unknown as number)).toThrow(/split: n must be a number when splitting a key/);
    expect(() => (split as (x: unknown) => unknown)(tensor([1, 2]))).toThrow(/split: countOrSizes is required/);
  });
});
