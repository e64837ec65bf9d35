import { type Key, foldIn, uniform, withBackend } from '@ddopt/tensor';

/**
 * @internal Uniform numbers for host-side algorithms that consume a data-dependent amount of
 * randomness (backtracking): blocks of 1024 float64 draws from foldIn(key, block), on cpu.
 * Deterministic in the key, with no state beyond this object.
 */
export class HostRandom {
  #block = 0;
  #pool: Float64Array = new Float64Array(0);
  #at = 0;

  constructor(private readonly key: Key) {}

  /** A uniform float in [0, 1). */
  next(): number {
    if (this.#at === this.#pool.length) {
      const k = foldIn(this.key, this.#block++);
      this.#pool = withBackend('cpu', () => uniform(k, [1024], { dtype: 'float64' }).dataSync() as Float64Array);
      this.#at = 0;
    }
    return this.#pool[this.#at++]!;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }
}
