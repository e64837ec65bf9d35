import { describe, expect, it } from 'vitest';
import { foldIn, prng, splitKey } from './key.js';
import { threefry2x32 } from './threefry.js';

// Known-answer vectors published with Random123 (tests/kat_vectors), lines
// "threefry2x32 <rounds> <ctr0> <ctr1> <key0> <key1> <out0> <out1>".
const KAT: [number, number, number, number, number, number, number][] = [
  [13, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x9d1c5ec6, 0x8bd50731],
  [13, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xfd36d048, 0x2d17272c],
  [13, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xba3e4725, 0xf27d669e],
  [20, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x6b200159, 0x99ba4efe],
  [20, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x1cb996fc, 0xbb002be7],
  [20, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xc4923a9c, 0x483df7a0],
  [32, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0xcee3d47e, 0xa23dfd5c],
  [32, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x6e2fe0d0, 0xb1b76f82],
];

describe('threefry2x32', () => {
  it.each(KAT)('matches the Random123 known answer (%i rounds)', (rounds, c0, c1, k0, k1, o0, o1) => {
    const out = new Uint32Array(2);
    threefry2x32(k0, k1, c0, c1, out, 0, rounds);
    expect([...out]).toEqual([o0, o1]);
  });
});

describe('keys', () => {
  it('prng splits a safe integer seed into its high and low 32-bit words', () => {
    expect(prng(0).words).toEqual([0, 0]);
    expect(prng(42).words).toEqual([0, 42]);
    expect(prng(2 ** 32 + 5).words).toEqual([1, 5]);
    expect(prng(Number.MAX_SAFE_INTEGER).words).toEqual([0x1fffff, 0xffffffff]);
    expect(prng(-1).words).toEqual([0xffffffff, 0xffffffff]);
    expect(prng(-(2 ** 32)).words).toEqual([0xffffffff, 0]);
  });

  it('splitKey matches JAX split(key(0), 8) under threefry_partitionable', () => {
    // jax.random.key_data(jax.random.split(jax.random.key(0), 8)) as printed by JAX.
    const jax = [
      [1797259609, 2579123966],
      [928981903, 3453687069],
      [4146024105, 2718843009],
      [2467461003, 3840466878],
      [2285895361, 433833334],
      [1524306142, 1887795613],
      [3792494674, 2909014575],
      [2716826189, 292468403],
    ];
    expect(splitKey(prng(0), 8).map((k) => [...k.words])).toEqual(jax);
  });

  it('foldIn(key, i) equals splitKey(key, n)[i] and keys are immutable', () => {
    const key = prng(1234);
    const keys = splitKey(key, 5);
    for (let i = 0; i < 5; i++) expect(foldIn(key, i).words).toEqual(keys[i]!.words);
    expect(foldIn(key, -1).words).toEqual(foldIn(key, 0xffffffff).words);
    expect(Object.isFrozen(key) && Object.isFrozen(key.words)).toBe(true);
    expect(splitKey(key).length).toBe(2);
    expect(splitKey(key, 0)).toEqual([]);
    expect(String(prng(255))).toBe('Key(0x00000000, 0x000000ff)');
  });

  it('split keys are all distinct', () => {
    const seen = new Set(splitKey(prng(7), 4096).map((k) => k.words.join(':')));
    expect(seen.size).toBe(4096);
  });

  it('rejects bad seeds, counts and keys with clear errors', () => {
    expect(() => prng(1.5)).toThrow(/prng: seed must be a safe integer, got 1.5/);
    expect(() => prng(2 ** 53)).toThrow(/safe integer/);
    expect(() => splitKey(prng(0), -1)).toThrow(/split: n must be an integer/);
    expect(() => splitKey([0, 0] as never)).toThrow(/split: expected a Key .* got an array/);
    expect(() => foldIn(prng(0), 2 ** 32)).toThrow(/foldIn: data must be an integer in \[-2\^31, 2\^32\)/);
  });
});
