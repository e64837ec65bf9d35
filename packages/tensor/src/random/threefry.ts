// Threefry-2x32 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3",
// SC 2011): a counter-based generator. Encrypting a 64-bit counter under a 64-bit key with a
// reduced Threefish cipher gives two 32-bit words; distinct (key, counter) pairs give
// independent-looking outputs, so no state is ever mutated.

// Rotation distances of the 2x32 variant, used cyclically by the rounds.
const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24] as const;
// Threefish's key-schedule parity constant (the 32-bit one).
const PARITY = 0x1bd11bda;

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

/**
 * @internal One Threefry-2x32 block: encrypts counter (c0, c1) under key (k0, k1) and writes
 * the two output words to `out[offset]`, `out[offset + 1]`. All values are uint32.
 * `rounds` is 20 in ddopt; other counts exist only to check published test vectors.
 */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number, out: Uint32Array, offset = 0, rounds = 20): void {
  const ks0 = k0 >>> 0;
  const ks1 = k1 >>> 0;
  const ks2 = (PARITY ^ k0 ^ k1) >>> 0;
  let x0 = (c0 + ks0) >>> 0;
  let x1 = (c1 + ks1) >>> 0;
  for (let r = 0; r < rounds; r++) {
    x0 = (x0 + x1) >>> 0;
    x1 = (rotl(x1, ROTATIONS[r & 7]!) ^ x0) >>> 0;
    // A key injection follows every fourth round; injection s adds key words s and s+1 (mod 3) and s.
    if ((r & 3) === 3) {
      const s = (r + 1) >>> 2;
      const m = s % 3;
      x0 = (x0 + (m === 0 ? ks0 : m === 1 ? ks1 : ks2)) >>> 0;
      x1 = (x1 + (m === 0 ? ks1 : m === 1 ? ks2 : ks0) + s) >>> 0;
    }
  }
  out[offset] = x0;
  out[offset + 1] = x1;
}
