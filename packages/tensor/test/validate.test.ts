// The shared checks of `@ddopt/tensor/validate`: one shape format, errors naming the function,
// the argument, the value seen and what was expected.
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/creation.js';
import { assertFloat, assertInt, assertTensor, convOutputSize, convPadding, fmtShape, pair } from '../src/validate/index.js';

describe('fmtShape', () => {
  it('writes shapes as [2, 3], scalars as []', () => {
    expect(fmtShape([2, 3])).toBe('[2, 3]');
    expect(fmtShape([7])).toBe('[7]');
    expect(fmtShape([])).toBe('[]');
  });
});

describe('assertInt', () => {
  it('returns integers ≥ min', () => {
    expect(assertInt('f', 'n', 0)).toBe(0);
    expect(assertInt('f', 'n', 3, 1)).toBe(3);
  });

  it('names the function, the argument, the bound and the value', () => {
    expect(() => assertInt('f', 'n', 0, 1)).toThrow(new RangeError('f: n must be an integer ≥ 1, got 0'));
    expect(() => assertInt('f', 'n', 1.5)).toThrow('f: n must be an integer ≥ 0, got 1.5');
    expect(() => assertInt('f', 'n', '2')).toThrow('f: n must be an integer ≥ 0, got 2');
    expect(() => assertInt('f', 'n', undefined)).toThrow('f: n must be an integer ≥ 0, got undefined');
  });
});

describe('assertTensor and assertFloat', () => {
  it('pass tensors and float dtypes', () => {
    expect(() => assertTensor('f', 'x', tensor([1]))).not.toThrow();
    expect(() => assertFloat('f', 'x', tensor([1], { dtype: 'float64' }))).not.toThrow();
  });

  it('name what they got', () => {
    expect(() => assertTensor('f', 'x', [1])).toThrow(new TypeError('f: x must be a Tensor, got object'));
    expect(() => assertTensor('f', 'x', null)).toThrow('f: x must be a Tensor, got null');
    expect(() => assertFloat('f', 'x', tensor([1], { dtype: 'int32' }))).toThrow('f: x must be float32 or float64, got int32');
  });
});

describe('pair', () => {
  it('spreads a number, keeps a pair, falls back when absent', () => {
    expect(pair('f', 'stride', 2, 1, 1)).toEqual([2, 2]);
    expect(pair('f', 'stride', [2, 3], 1, 1)).toEqual([2, 3]);
    expect(pair('f', 'stride', undefined, 1, 1)).toEqual([1, 1]);
  });

  it('requires an option without a fallback and checks each entry', () => {
    expect(() => pair('f', 'kernelSize', undefined, undefined, 1)).toThrow(new TypeError('f: kernelSize is required (a number or [height, width])'));
    expect(() => pair('f', 'stride', [1, 2, 3] as never, 1, 1)).toThrow('f: stride must be a number or a pair [height, width], got [1,2,3]');
    expect(() => pair('f', 'stride', [2, 0], 1, 1)).toThrow('f: stride must be an integer ≥ 1, got 0');
  });
});

describe('convPadding', () => {
  it('resolves numbers, pairs, sides and modes to [[top, bottom], [left, right]]', () => {
    const k: [number, number] = [3, 4];
    const one: [number, number] = [1, 1];
    expect(convPadding('f', undefined, k, one, one)).toEqual([[0, 0], [0, 0]]);
    expect(convPadding('f', 'valid', k, one, one)).toEqual([[0, 0], [0, 0]]);
    expect(convPadding('f', 1, k, one, one)).toEqual([[1, 1], [1, 1]]);
    expect(convPadding('f', [1, 2], k, one, one)).toEqual([[1, 1], [2, 2]]);
    expect(convPadding('f', [[0, 1], [2, 3]], k, one, one)).toEqual([[0, 1], [2, 3]]);
    // 'same': d·(k − 1) per axis, the odd cell after.
    expect(convPadding('f', 'same', k, one, [2, 1])).toEqual([[2, 2], [1, 2]]);
  });

  it("refuses 'same' with a stride, unknown modes and negative sides", () => {
    expect(() => convPadding('f', 'same', [3, 3], [2, 1], [1, 1])).toThrow("f: padding 'same' needs stride 1, got stride [2, 1]");
    expect(() => convPadding('f', 'full' as never, [3, 3], [1, 1], [1, 1])).toThrow(/f: padding must be a number, a pair, .* got 'full'/);
    expect(() => convPadding('f', [[0, -1], [0, 0]], [3, 3], [1, 1], [1, 1])).toThrow('f: padding must be an integer ≥ 0, got -1');
  });
});

describe('convOutputSize', () => {
  const geometry = (stride: [number, number], sides: [[number, number], [number, number]], dilation: [number, number] = [1, 1]) => ({ stride, padding: sides, dilation });

  it("is PyTorch's floor((size + padding − d·(k − 1) − 1) / stride) + 1 per axis", () => {
    expect(convOutputSize('f', [5, 7], [3, 3], geometry([1, 1], [[0, 0], [0, 0]]))).toEqual([3, 5]);
    expect(convOutputSize('f', [5, 7], [3, 3], geometry([2, 3], [[1, 1], [1, 1]]))).toEqual([3, 3]);
    expect(convOutputSize('f', [5, 5], [3, 3], geometry([1, 1], [[0, 0], [0, 0]], [2, 2]))).toEqual([1, 1]);
    expect(convOutputSize('f', [1, 4], [1, 2], geometry([1, 1], [[0, 0], [0, 1]]))).toEqual([1, 4]);
  });

  it('names the kernel and the padded input when the kernel does not fit', () => {
    expect(() => convOutputSize('f', [5, 5], [7, 3], geometry([1, 1], [[0, 0], [0, 0]]))).toThrow(new RangeError('f: the kernel 7×3 is larger than the padded input 5×5 (input 5×5)'));
    expect(() => convOutputSize('f', [5, 5], [3, 3], geometry([1, 1], [[0, 0], [1, 0]], [3, 3]))).toThrow('f: the dilated kernel 7×7 is larger than the padded input 5×6 (input 5×5)');
  });
});
