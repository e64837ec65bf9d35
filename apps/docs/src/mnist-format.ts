// The compact form of the `mnist` package's digits that the docs site serves (see mnist-browser.ts;
// scripts/generate.mjs writes it with `encodeDigits`).
export interface Digit {
  id: number;
  length: number;
  raw: number[];
}

const PIXELS = 784;
const MAGIC = [0x44, 0x44, 0x4d, 0x4e]; // "DDMN"

/** Decodes `encodeDigits`' bytes back to the package's layout, digit i having id i. */
export function decodeDigits(bytes: Uint8Array): Digit[] {
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw new Error('decodeDigits: not a ddopt digits file (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const table = Array.from({ length: 256 }, (_, i) => view.getFloat64(8 + 8 * i, true));
  let at = 8 + 256 * 8;
  const lengths = Array.from({ length: count }, (_, i) => view.getUint32(at + 4 * i, true));
  at += 4 * count;
  const expected = at + lengths.reduce((s, n) => s + n * PIXELS, 0);
  if (bytes.length !== expected) throw new Error(`decodeDigits: ${bytes.length} bytes, expected ${expected}`);
  return lengths.map((length, id) => {
    const raw = new Array<number>(length * PIXELS);
    for (let p = 0; p < raw.length; p++) raw[p] = table[bytes[at++]!]!;
    return { id, length, raw };
  });
}
