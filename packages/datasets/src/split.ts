import { type Key, prng } from '@ddopt/tensor';
import { hostPermutation, sampleCount, separate, take } from './batches.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { KEY, SEED, checkShuffleSource, positionalHint } from './options.js';

/** Options of `trainTestSplit`. */
export interface SplitOptions {
  /** Test samples: a fraction in (0, 1) or a count. */
  testSize: number;
  /** Shuffle before splitting (default true; then a seed or key is required). */
  shuffle?: boolean;
  seed?: number;
  key?: Key;
}

/**
 * Splits `data` into disjoint train and test parts: every sample lands in exactly one of them.
 * Passes through extra fields (like classNames) that are not tensors of samples.
 */
export function trainTestSplit<T extends object>(data: T, options: SplitOptions): { train: T; test: T } {
  const { tensors, extra } = separate(data, 'trainTestSplit');
  const n = sampleCount('trainTestSplit', tensors);
  const o = checkOptions(
    'trainTestSplit',
    options,
    { testSize: option.number({ above: 0 }).required(), shuffle: option.boolean().default(true), seed: SEED, key: KEY },
    { hint: positionalHint((v) => `trainTestSplit(data, { testSize: ${v}, seed })`) },
  );
  checkShuffleSource('trainTestSplit', o);
  const { testSize, shuffle } = o;
  const nTest = testSize > 0 && testSize < 1 ? Math.round(testSize * n) : testSize;
  if (!Number.isInteger(nTest) || nTest < 1 || nTest >= n) {
    throw new RangeError(`trainTestSplit: testSize must be a fraction in (0, 1) or an integer in [1, ${n - 1}] for ${n} samples, got ${testSize}`);
  }
  let order: Int32Array;
  if (shuffle) {
    order = hostPermutation(o.key ?? prng(o.seed!), n);
  } else {
    order = Int32Array.from({ length: n }, (_, i) => i);
  }
  const nTrain = n - nTest;
  return {
    train: { ...extra, ...take(tensors, order.slice(0, nTrain)) } as T,
    test: { ...extra, ...take(tensors, order.slice(nTrain)) } as T,
  };
}
