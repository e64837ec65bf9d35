import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript (scripts/ is run by node directly)
import { encodeDigits, packageDigits } from '../scripts/generate.mjs';
import { type Digit, decodeDigits } from '../src/mnist-format.js';

describe('the digits file the site serves', () => {
  it('decodes to exactly the mnist package’s digits', () => {
    const digits = packageDigits() as Digit[];
    const decoded = decodeDigits(encodeDigits(digits));
    expect(decoded.map((d) => d.length)).toEqual(digits.map((d) => d.length));
    let differ = 0;
    for (let i = 0; i < digits.length; i++) for (let p = 0; p < digits[i]!.raw.length; p++) if (!Object.is(decoded[i]!.raw[p], digits[i]!.raw[p])) differ++;
    expect(differ).toBe(0);
  });

  it('refuses bytes that are not a digits file, or are truncated', () => {
    const good = encodeDigits([{ id: 0, length: 1, raw: new Array(784).fill(0.5) }]);
    expect(() => decodeDigits(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]))).toThrow(/bad magic/);
    expect(() => decodeDigits(good.subarray(0, good.length - 1))).toThrow(/expected/);
  });
});
