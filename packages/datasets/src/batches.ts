import { type Key, type Tensor, foldIn, gather, isTensor, permutation, prng, tensor, withBackend } from '@ddopt/tensor';
import { assertTensor, checkOptions, fmtShape, fmtValue, option } from '@ddopt/tensor/validate';
import { KEY, SEED, checkShuffleSource } from './options.js';

/** Tensors that share their first (sample) axis, e.g. `{ x, y }`. */
export type Columns = Record<string, Tensor>;

/** @internal Splits `data` into its tensors and the other fields (like classNames), which are carried along. */
export function separate(data: object, where = 'batches'): { tensors: Columns; extra: Record<string, unknown> } {
  if (data === null || typeof data !== 'object' || Array.isArray(data) || isTensor(data)) throw new TypeError(`${where}: data must be an object of tensors such as { x, y }, got ${fmtValue(data)}`);
  const tensors: Columns = {};
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (isTensor(v)) tensors[k] = v;
    else extra[k] = v;
  }
  return { tensors, extra };
}

/** Options of `batches`. */
export interface BatchOptions {
  batchSize: number;
  /** Visit samples in a seeded random order (default false: in order). */
  shuffle?: boolean;
  /** Seed of the shuffle (required when shuffling, unless `key` is given). */
  seed?: number;
  key?: Key;
  /** Epoch number folded into the key, so each epoch gets its own order from one seed. */
  epoch?: number;
  /** Skip the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
}

/** @internal The common sample count of `data`'s tensors, or a clear error. */
export function sampleCount(where: string, data: Columns): number {
  if (data === null || typeof data !== 'object') throw new TypeError(`${where}: data must be an object of tensors such as { x, y }`);
  let n: number | undefined;
  let first = '';
  for (const [name, t] of Object.entries(data)) {
    if (t === undefined) continue;
    assertTensor(where, `data.${name}`, t);
    if (t.rank < 1) throw new RangeError(`${where}: data.${name} must have a sample axis, got a scalar`);
    if (n === undefined) {
      n = t.shape[0]!;
      first = name;
    } else if (t.shape[0] !== n) {
      throw new RangeError(`${where}: data.${name} ${fmtShape(t.shape)} has ${t.shape[0]} samples but data.${first} has ${n}`);
    }
  }
  if (n === undefined) throw new TypeError(`${where}: data has no tensors`);
  return n;
}

/** @internal A seeded permutation of 0..n−1 as host integers (drawn on cpu, so no backend memory is held). */
export function hostPermutation(key: Key, n: number): Int32Array {
  return withBackend('cpu', () => permutation(key, n).dataSync() as Int32Array);
}

/** @internal Picks the samples at `indices` from every tensor of `data`, on each tensor's own backend. */
export function take<T extends Columns>(data: T, indices: Int32Array): T {
  const out: Columns = {};
  for (const [name, t] of Object.entries(data)) {
    if (t === undefined) continue;
    const idx = tensor(indices, { dtype: 'int32', backend: t.backend });
    out[name] = gather(t, idx, 0);
    // The index tensor is ours alone; release it now (it holds memory on tfjs backends).
    idx.dispose();
  }
  return out as T;
}

const BATCH_OPTIONS = {
  batchSize: option.int(1).required(),
  shuffle: option.boolean().default(false),
  seed: SEED,
  key: KEY,
  epoch: option.int(0),
  dropLast: option.boolean().default(false),
};

/**
 * Iterates over mini-batches of `data` (each a `{ x, y, … }` of tensors with the same keys;
 * fields that are not tensors, like classNames, are carried into every batch unchanged), in
 * order or in a seeded random order. One call is one epoch. The options are checked when
 * `batches` is called, not at the first `next()`.
 */
export function batches<T extends object>(data: T, options: BatchOptions): Generator<T> {
  const { tensors, extra } = separate(data, 'batches');
  const n = sampleCount('batches', tensors);
  const o = checkOptions('batches', options, BATCH_OPTIONS, { hint: (v) => (typeof v === 'number' ? `write batches(data, { batchSize: ${v} })` : undefined) });
  checkShuffleSource('batches', o);
  return batchesOf(tensors, extra, n, o) as Generator<T>;
}

function* batchesOf(tensors: Columns, extra: Record<string, unknown>, n: number, options: BatchOptions): Generator<object> {
  const { batchSize, shuffle = false, dropLast = false } = options;
  let order: Int32Array;
  if (shuffle) {
    let key = options.key ?? prng(options.seed!);
    if (options.epoch !== undefined) key = foldIn(key, options.epoch);
    order = hostPermutation(key, n);
  } else {
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  }
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    if (dropLast && end - start < batchSize) return;
    yield { ...extra, ...take(tensors, order.subarray(start, end)) };
  }
}
