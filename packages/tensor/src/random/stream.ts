import type { Key } from './key.js';
import { threefry2x32 } from './threefry.js';

const TWO_32 = 4294967296;
// Samplers encrypt counters (1, block); split/foldIn use (0, i). The first word differs, so a
// key's sample stream never coincides with the keys derived from it.
const SAMPLE_DOMAIN = 1;

/**
 * @internal The uint32 words of a key's sample stream, in order: block b of the stream is
 * Threefry(key, (1, b)), two words per block. Reading is deterministic and never wraps.
 */
export class WordStream {
  readonly #k0: number;
  readonly #k1: number;
  #block = 0;
  readonly #buf = new Uint32Array(2);
  #pos = 2;

  constructor(key: Key) {
    [this.#k0, this.#k1] = key.words;
  }

  /** The next uint32 word. */
  next(): number {
    if (this.#pos === 2) {
      if (this.#block >= TWO_32) throw new RangeError('random: a single draw needs more than 2^33 random words');
      threefry2x32(this.#k0, this.#k1, SAMPLE_DOMAIN, this.#block++, this.#buf);
      this.#pos = 0;
    }
    return this.#buf[this.#pos++]!;
  }

  /** A float in [0, 1) with 53 random bits (float64 resolution). */
  nextFloat64(): number {
    const hi = this.next() >>> 5; // 27 bits
    const lo = this.next() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A float in [0, 1) with 24 random bits (float32 resolution, exactly representable). */
  nextFloat32(): number {
    return (this.next() >>> 8) / 16777216;
  }

  /** An unbiased integer in [0, range) for 1 ≤ range ≤ 2^32, by rejection of the top remainder. */
  nextBelow(range: number): number {
    if (range === TWO_32) return this.next();
    const limit = TWO_32 - (TWO_32 % range);
    for (;;) {
      const w = this.next();
      if (w < limit) return w % range;
    }
  }
}
