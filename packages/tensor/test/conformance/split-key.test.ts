// `split` is a tensor op only; PRNG keys split with `splitKey`.
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/creation.js';
import { split } from '../../src/ops/index.js';
import { prng } from '../../src/random.js';

describe('split', () => {
  it('refuses a PRNG key, pointing to splitKey', () => {
    expect(() => (split as (x: unknown, n: number) => unknown)(prng(7), 3)).toThrow(/split: x is a PRNG key; split keys with splitKey\(key, n\)/);
  });

  it('refuses a missing count', () => {
    expect(() => (split as (x: unknown) => unknown)(tensor([1, 2]))).toThrow(/split: countOrSizes is required/);
  });
});
