import { threefry2x32 } from './threefry.js';

/**
 * A PRNG key: two uint32 words, immutable. Keys are values, not state: the same key always
 * gives the same numbers, so derive fresh keys with `split` or `foldIn` for each use.
 */
export class Key {
  /** Marks keys structurally, so checks work across duplicated module copies (a getter, as `Tensor.isTensor`). */
  get isKey(): true {
    return true;
  }
  /** The key's two uint32 words (JAX's `key_data` layout). */
  readonly words: readonly [number, number];

  /** @internal Use `prng`, `split` or `foldIn`. */
  constructor(w0: number, w1: number) {
    this.words = Object.freeze([w0 >>> 0, w1 >>> 0]) as readonly [number, number];
    Object.freeze(this);
  }

  toString(): string {
    return `Key(${this.words.map((w) => `0x${w.toString(16).padStart(8, '0')}`).join(', ')})`;
  }
}

/** Whether `x` is a PRNG key. */
export function isKey(x: unknown): x is Key {
  return typeof x === 'object' && x !== null && (x as Key).isKey === true;
}

/** @internal Throws naming the function when `key` is not a Key. */
export function assertKey(op: string, key: unknown): asserts key is Key {
  if (!isKey(key)) {
    const seen = key === null ? 'null' : Array.isArray(key) ? 'an array' : typeof key;
    throw new TypeError(`${op}: expected a Key from prng/split/foldIn as the key argument, got ${seen}`);
  }
}

const TWO_32 = 4294967296;

/**
 * A key from an integer seed (any safe integer; negatives as 64-bit two's complement).
 * Bit-compatible with JAX's `jax.random.key(seed)` for the threefry2x32 implementation.
 */
export function prng(seed: number): Key {
  if (!Number.isSafeInteger(seed)) throw new TypeError(`prng: seed must be a safe integer, got ${seed}`);
  return new Key(Math.floor(seed / TWO_32) >>> 0, seed >>> 0);
}

/**
 * Derives `n` new keys from `key`; key i is Threefry(key, counter (0, i)), so the result is
 * bit-compatible with JAX's `split` under `jax_threefry_partitionable` (its default since 0.5).
 */
export function splitKey(key: Key, n = 2): Key[] {
  assertKey('split', key);
  if (!Number.isInteger(n) || n < 0 || n >= TWO_32) throw new RangeError(`split: n must be an integer in [0, 2^32), got ${n}`);
  const out = new Uint32Array(2);
  const keys: Key[] = [];
  for (let i = 0; i < n; i++) {
    threefry2x32(key.words[0], key.words[1], 0, i, out);
    keys.push(new Key(out[0]!, out[1]!));
  }
  return keys;
}

/**
 * A new key from `key` and an integer `data` in [-2^31, 2^32) (negatives as uint32 two's
 * complement); `foldIn(key, i)` equals `splitKey(key, n)[i]` for every n > i, as in JAX.
 */
export function foldIn(key: Key, data: number): Key {
  assertKey('foldIn', key);
  if (!Number.isInteger(data) || data < -(2 ** 31) || data >= TWO_32) {
    throw new RangeError(`foldIn: data must be an integer in [-2^31, 2^32), got ${data}`);
  }
  const out = new Uint32Array(2);
  threefry2x32(key.words[0], key.words[1], 0, data >>> 0, out);
  return new Key(out[0]!, out[1]!);
}
