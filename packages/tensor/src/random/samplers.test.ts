import { describe, expect, it } from 'vitest';
import { type Key, prng, splitKey } from './key.js';
import { bernoulli, permutation, rademacher, randint, randn, uniform } from './samplers.js';
import { threefry2x32 } from './threefry.js';

// Statistical checks use fixed keys, so they are deterministic; the bounds are still the
// ones a fresh seed would pass with overwhelming probability (4σ, or 0.1% critical values).

const minOf = (x: ArrayLike<number>) => Array.prototype.reduce.call(x, (a, b) => Math.min(a as number, b as number), Number.POSITIVE_INFINITY) as number;
const maxOf = (x: ArrayLike<number>) => Array.prototype.reduce.call(x, (a, b) => Math.max(a as number, b as number), Number.NEGATIVE_INFINITY) as number;

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

function moment(x: ArrayLike<number>, k: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! ** k;
  return s / x.length;
}

/** Kolmogorov–Smirnov distance between the sample's empirical CDF and `cdf`. */
function ksDistance(x: ArrayLike<number>, cdf: (v: number) => number): number {
  const sorted = Float64Array.from(x).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

// Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, far below the KS bounds used here).
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

// 0.1% critical value of the one-sample KS statistic is about 1.95/√n for large n.
const ksBound = (n: number) => 1.95 / Math.sqrt(n);

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const e = total / counts.length;
  let c = 0;
  for (let i = 0; i < counts.length; i++) c += (counts[i]! - e) ** 2 / e;
  return c;
}

describe('determinism and independence', () => {
  const bytes = (t: { dataSync(): ArrayBufferView }) => Buffer.from(t.dataSync().buffer);
  it.each([
    ['uniform', (k: Key) => uniform(k, [3, 333], { dtype: 'float64' })],
    ['randn', (k: Key) => randn(k, [1001])],
    ['bernoulli', (k: Key) => bernoulli(k, 0.3, [999])],
    ['randint', (k: Key) => randint(k, [1000], -7, 1000)],
    ['permutation', (k: Key) => permutation(k, 1000)],
    ['rademacher', (k: Key) => rademacher(k, [1000], { dtype: 'int32' })],
  ])('%s: the same key gives bit-identical values, another key different ones', (_, draw) => {
    expect(bytes(draw(prng(2024))).equals(bytes(draw(prng(2024))))).toBe(true);
    expect(bytes(draw(prng(2024))).equals(bytes(draw(prng(2025))))).toBe(false);
  });

  it('different and split keys give different, uncorrelated streams', () => {
    const n = 20000;
    const [k1, k2] = splitKey(prng(5));
    const streams = [prng(5), prng(6), k1!, k2!].map((k) => randn(k, [n], { dtype: 'float64' }).dataSync());
    for (let i = 0; i < streams.length; i++) {
      for (let j = i + 1; j < streams.length; j++) {
        const a = streams[i]!;
        const b = streams[j]!;
        let dot = 0;
        for (let t = 0; t < n; t++) dot += a[t]! * b[t]!;
        expect(Math.abs(dot / n)).toBeLessThan(4 / Math.sqrt(n)); // corr of independent N(0,1)
        expect(a[0]).not.toBe(b[0]);
      }
    }
  });

  it('a prefix of a draw does not depend on the shape asked for', () => {
    const small = uniform(prng(3), [10]).dataSync();
    const big = uniform(prng(3), [4, 25]).dataSync();
    expect([...big.subarray(0, 10)]).toEqual([...small]);
  });

  it('float32 uniforms are the top 24 bits of the Threefry sample stream (counters (1, b))', () => {
    const key = prng(99);
    const u = uniform(key, [6]).dataSync();
    const words = new Uint32Array(6);
    for (let b = 0; b < 3; b++) threefry2x32(key.words[0], key.words[1], 1, b, words, 2 * b);
    expect([...u]).toEqual([...words].map((w) => (w >>> 8) / 2 ** 24));
  });
});

describe('uniform', () => {
  it('float64: in [low, high), mean, variance and KS match U(low, high)', () => {
    const n = 100000;
    const x = uniform(prng(11), [n], { low: -2, high: 3, dtype: 'float64' });
    expect(x.dtype).toBe('float64');
    expect(x.shape).toEqual([n]);
    const v = x.dataSync();
    expect(minOf(v)).toBeGreaterThanOrEqual(-2);
    expect(maxOf(v)).toBeLessThan(3);
    const sd = 5 / Math.sqrt(12);
    expect(Math.abs(mean(v) - 0.5)).toBeLessThan((4 * sd) / Math.sqrt(n));
    // variance of U(0,1)^2 terms: E[(x-m)^4] - σ^4 = (1/80 - 1/144)·5^4
    const m2 = moment(v.map((t) => t - 0.5), 2);
    expect(Math.abs(m2 - sd * sd)).toBeLessThan(4 * Math.sqrt(((1 / 80 - 1 / 144) * 625) / n));
    expect(ksDistance(v, (t) => (t + 2) / 5)).toBeLessThan(ksBound(n));
  });

  it('float32 uses 24 random bits, float64 uses 53', () => {
    const f32 = uniform(prng(1), [1000]).dataSync();
    expect(f32).toBeInstanceOf(Float32Array);
    expect([...f32].every((t) => Number.isInteger(t * 2 ** 24))).toBe(true);
    const f64 = uniform(prng(1), [1000], { dtype: 'float64' }).dataSync();
    expect([...f64].every((t) => Number.isInteger(t * 2 ** 53))).toBe(true);
    // With only 24 bits, every value would be a multiple of 2^-24; 53 bits almost never are.
    expect([...f64].filter((t) => Number.isInteger(t * 2 ** 24)).length).toBeLessThan(5);
    expect(ksDistance(f32, (t) => t)).toBeLessThan(ksBound(1000));
  });

  it('never returns high, even when rounding would reach it', () => {
    const high = 1 + 2 ** -52; // the next float64 after 1
    const v = uniform(prng(4), [1000], { low: 1, high, dtype: 'float64' }).dataSync();
    expect([...v].every((t) => t === 1)).toBe(true);
    const v32 = uniform(prng(4), [1000], { low: 1, high: 1 + 2 ** -23 }).dataSync();
    expect([...v32].every((t) => t === 1)).toBe(true);
  });

  it('handles empty and scalar shapes', () => {
    expect(uniform(prng(0), [0, 3]).shape).toEqual([0, 3]);
    const s = uniform(prng(0), []);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBeGreaterThanOrEqual(0);
  });

  it('rejects bad bounds, shapes, dtypes and keys', () => {
    expect(() => uniform(prng(0), [2], { low: 1, high: 1 })).toThrow(/uniform: need finite low < high.*low=1, high=1/);
    expect(() => uniform(prng(0), [2], { low: 0, high: Number.POSITIVE_INFINITY })).toThrow(/finite/);
    expect(() => uniform(prng(0), [-1])).toThrow(/uniform: invalid shape \[-1\]/);
    expect(() => uniform(prng(0), [2.5])).toThrow(/invalid shape/);
    expect(() => uniform(prng(0), 3 as never)).toThrow(/uniform: shape must be an array/);
    expect(() => uniform(prng(0), [2], { dtype: 'int32' as never })).toThrow(new RangeError("uniform: dtype must be one of 'float32', 'float64', got 'int32'"));
    expect(() => uniform(42 as never, [2])).toThrow(/uniform: expected a Key .* got number/);
  });
});

describe('randn', () => {
  it('float64 moments and KS distance match N(0, 1)', () => {
    const n = 100001; // odd, so the last Box–Muller pair is cut
    const v = randn(prng(21), [n], { dtype: 'float64' }).dataSync();
    expect(v.length).toBe(n);
    expect(Math.abs(mean(v))).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(moment(v, 2) - 1)).toBeLessThan(4 * Math.sqrt(2 / n)); // Var(x²) = 2
    expect(Math.abs(moment(v, 3))).toBeLessThan(4 * Math.sqrt(15 / n)); // Var(x³) = 15
    expect(Math.abs(moment(v, 4) - 3)).toBeLessThan(4 * Math.sqrt(96 / n)); // Var(x⁴) = 105 − 9
    expect(ksDistance(v, normalCdf)).toBeLessThan(ksBound(n));
    expect([...v].every(Number.isFinite)).toBe(true);
  });

  it('float32 by default, with the same distribution', () => {
    const n = 50000;
    const x = randn(prng(22), [100, 500]);
    expect(x.dtype).toBe('float32');
    expect(x.shape).toEqual([100, 500]);
    const v = x.dataSync();
    expect(Math.abs(mean(v))).toBeLessThan(4 / Math.sqrt(n));
    expect(ksDistance(v, normalCdf)).toBeLessThan(ksBound(n));
  });

  it('rejects bad dtypes and shapes', () => {
    expect(() => randn(prng(0), [2], { dtype: 'bool' as never })).toThrow(/randn: dtype must be one of 'float32', 'float64', got 'bool'/);
    expect(() => randn(prng(0), [3, -2])).toThrow(/randn: invalid shape \[3, -2\]/);
  });
});

describe('bernoulli', () => {
  it.each([0.5, 0.05, 0.9])('p = %f: bool values with frequency p within 4σ', (p) => {
    const n = 40000;
    const x = bernoulli(prng(31), p, [200, 200]);
    expect(x.dtype).toBe('bool');
    const v = x.dataSync();
    expect([...v].every((t) => t === 0 || t === 1)).toBe(true);
    expect(Math.abs(mean(v) - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
  });

  it('p = 0 gives all false and p = 1 all true', () => {
    expect([...bernoulli(prng(1), 0, [500]).dataSync()].every((t) => t === 0)).toBe(true);
    expect([...bernoulli(prng(1), 1, [500]).dataSync()].every((t) => t === 1)).toBe(true);
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => bernoulli(prng(0), 1.5, [2])).toThrow(/bernoulli: p must be a number in \[0, 1\], got 1.5/);
    expect(() => bernoulli(prng(0), -0.1, [2])).toThrow(/got -0.1/);
    expect(() => bernoulli(prng(0), Number.NaN, [2])).toThrow(/got NaN/);
    expect(() => bernoulli(prng(0), 0.5, [-3])).toThrow(/bernoulli: invalid shape/);
  });
});

describe('randint', () => {
  it('int32 values in [low, high), uniform by chi-square', () => {
    const n = 60000;
    const x = randint(prng(41), [n], -3, 7);
    expect(x.dtype).toBe('int32');
    const v = x.dataSync();
    const counts = new Array<number>(10).fill(0);
    expect(minOf(v)).toBe(-3);
    expect(maxOf(v)).toBe(6);
    for (const t of v) counts[t + 3]!++;
    expect(chiSquare(counts)).toBeLessThan(27.88); // χ²(9) 0.1% critical value
  });

  it('is unbiased for a range that does not divide 2^32', () => {
    // range 3·2^30: plain `w mod range` would make the low third of values twice as likely.
    const n = 30000;
    const v = randint(prng(42), [n], -(2 ** 31), 2 ** 31 - 2 ** 30).dataSync();
    const counts = [0, 0, 0];
    for (const t of v) counts[Math.floor((t + 2 ** 31) / 2 ** 30)]!++;
    expect(chiSquare(counts)).toBeLessThan(13.82); // χ²(2) 0.1%
  });

  it('covers the full int32 range and the one-value range', () => {
    const full = randint(prng(43), [1000], -(2 ** 31), 2 ** 31).dataSync();
    expect(full.some((t) => t < 0) && full.some((t) => t > 0)).toBe(true);
    expect([...randint(prng(43), [50], 5, 6).dataSync()].every((t) => t === 5)).toBe(true);
  });

  it('rejects empty ranges and non-integers', () => {
    expect(() => randint(prng(0), [2], 3, 3)).toThrow(/randint: need low < high, got low=3, high=3/);
    expect(() => randint(prng(0), [2], 5, 1)).toThrow(/low < high/);
    expect(() => randint(prng(0), [2], 0.5, 3)).toThrow(/randint: low and high must be integers/);
    expect(() => randint(prng(0), [2], 0, 2 ** 31 + 1)).toThrow(/high ≤ 2\^31/);
    expect(() => randint(prng(0), [-2], 0, 3)).toThrow(/randint: invalid shape/);
  });
});

describe('permutation', () => {
  it('is a permutation of 0..n-1 as int32', () => {
    const x = permutation(prng(51), 1000);
    expect(x.dtype).toBe('int32');
    expect(x.shape).toEqual([1000]);
    const v = [...x.dataSync()];
    expect([...v].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(v).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation(prng(0), 0).shape).toEqual([0]);
    expect([...permutation(prng(0), 1).dataSync()]).toEqual([0]);
  });

  it('all 3! orders are equally likely (chi-square over 6000 keys)', () => {
    const counts = new Map<string, number>();
    for (const k of splitKey(prng(52), 6000)) {
      const s = permutation(k, 3).dataSync().join('');
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    expect(chiSquare([...counts.values()])).toBeLessThan(20.52); // χ²(5) 0.1%
  });

  it('each position is uniform over values (n = 5, 5000 keys)', () => {
    const counts = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
    for (const k of splitKey(prng(53), 5000)) {
      permutation(k, 5)
        .dataSync()
        .forEach((v, pos) => {
          counts[pos]![v]!++;
        });
    }
    for (const row of counts) expect(chiSquare(row)).toBeLessThan(18.47); // χ²(4) 0.1%
  });

  it('rejects a bad n', () => {
    expect(() => permutation(prng(0), -1)).toThrow(/permutation: n must be an integer in \[0, 2\^31\), got -1/);
    expect(() => permutation(prng(0), 2.5)).toThrow(/got 2.5/);
  });
});

describe('rademacher', () => {
  it('gives ±1 with mean 0 in the requested dtype', () => {
    const n = 40000;
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      const x = rademacher(prng(61), [n], { dtype });
      expect(x.dtype).toBe(dtype);
      const v = x.dataSync();
      expect([...v].every((t) => t === 1 || t === -1)).toBe(true);
      expect(Math.abs(mean(v))).toBeLessThan(4 / Math.sqrt(n));
    }
    // neighbouring signs are uncorrelated (they share a 32-bit word)
    const v = rademacher(prng(62), [n]).dataSync();
    let lag = 0;
    for (let i = 1; i < n; i++) lag += v[i]! * v[i - 1]!;
    expect(Math.abs(lag / (n - 1))).toBeLessThan(4 / Math.sqrt(n));
    expect(() => rademacher(prng(0), [2], { dtype: 'bool' as never })).toThrow(/rademacher: dtype must be one of 'float32', 'float64', 'int32', got 'bool'/);
  });
});
