// tensor(typedArray): float arrays into a float dtype are one typed-array copy; the values must
// be what element-wise conversion gives (Math.fround for float32), NaN, ±Inf and −0 included,
// and the tensor must not share the caller's memory. Other conversions stay checked per element.
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/creation.js';

const SPECIAL = [0.1, 1 / 3, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-46, 3.5e38, 16777217];

describe('tensor from a typed array', () => {
  it('float64 values into float32 round as Math.fround does, specials kept', () => {
    const t = tensor(Float64Array.from(SPECIAL), { dtype: 'float32' });
    expect(Array.from(t.dataSync())).toEqual(SPECIAL.map(Math.fround));
    expect(Object.is(t.dataSync()[2], -0)).toBe(true);
  });

  it('float32 values into float64 are exact, and the tensor owns a copy', () => {
    const src = Float32Array.from(SPECIAL);
    const t = tensor(src, { dtype: 'float64', shape: [3, 3] });
    expect(Array.from(t.dataSync())).toEqual(Array.from(src));
    src[0] = 42;
    expect(t.dataSync()[0]).toBe(Math.fround(0.1));
  });

  it('a float array into int32 or bool is still checked per element, naming the flat index', () => {
    expect(() => tensor(Float64Array.from([1, 2, 2.5]), { dtype: 'int32' })).toThrow('tensor: value at flat index 2 is 2.5, not an integer; int32 tensors hold integers only');
    expect(() => tensor(Float32Array.from([0, 1, 2]), { dtype: 'bool' })).toThrow('tensor: value at flat index 2 is 2, not a boolean (0/1/true/false)');
    expect(Array.from(tensor(Float64Array.from([-3, 7]), { dtype: 'int32' }).dataSync())).toEqual([-3, 7]);
  });
});
