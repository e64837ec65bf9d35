// The shared checks of `@ddopt/tensor/validate`: one shape format, errors naming the function,
// the argument, the value seen and what was expected.
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/creation.js';
import { assertFloat, assertInt, assertTensor, checkArg, checkOptions, convOutputSize, convPadding, describeOptions, didYouMean, fmtShape, fmtValue, option, pair } from '../src/validate/index.js';
import { prng } from '../src/random.js';

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
    expect(() => assertInt('f', 'n', '2')).toThrow(new TypeError("f: n must be an integer ≥ 0, got '2'"));
    expect(() => assertInt('f', 'n', undefined)).toThrow('f: n must be an integer ≥ 0, got undefined');
  });
});

describe('assertTensor and assertFloat', () => {
  it('pass tensors and float dtypes', () => {
    expect(() => assertTensor('f', 'x', tensor([1]))).not.toThrow();
    expect(() => assertFloat('f', 'x', tensor([1], { dtype: 'float64' }))).not.toThrow();
  });

  it('name what they got', () => {
    expect(() => assertTensor('f', 'x', [1])).toThrow(new TypeError('f: x must be a Tensor, got [1]'));
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
    expect(() => pair('f', 'stride', [1, 2, 3] as never, 1, 1)).toThrow('f: stride must be a number or a pair [height, width], got [1, 2, 3]');
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

describe('fmtValue', () => {
  it('shows strings quoted, numbers as written, tensors by shape and dtype, containers abbreviated', () => {
    expect(fmtValue('1')).toBe("'1'");
    expect(fmtValue(1)).toBe('1');
    expect(fmtValue(Number.NaN)).toBe('NaN');
    expect(fmtValue(-0)).toBe('-0');
    expect(fmtValue(null)).toBe('null');
    expect(fmtValue(undefined)).toBe('undefined');
    expect(fmtValue(tensor([[1, 2, 3]]))).toBe('a Tensor [1, 3] float32');
    expect(fmtValue(prng(0))).toBe('a PRNG key');
    expect(fmtValue([1, 'a', [2]])).toBe("[1, 'a', [2]]");
    expect(fmtValue({ lr: 0.1 })).toBe('an object { lr: 0.1 }');
    expect(fmtValue(new Int8Array(3))).toBe('a Int8Array of length 3');
    expect(fmtValue(function named() {})).toBe('a function (named)');
  });
});

describe('didYouMean', () => {
  const known = ['axis', 'keepdims', 'lr', 'weightDecay', 'bias', 'momentum', 'dropLast', 'kernelSize', 'train'];
  it.each([
    ['keepDims', 'keepdims'],
    ['keep_dims', 'keepdims'],
    ['axes', 'axis'],
    ['learningRate', 'lr'],
    ['weight_decay', 'weightDecay'],
    ['bais', 'bias'],
    ['momentun', 'momentum'],
    ['drop_last', 'dropLast'],
    ['kernel', 'kernelSize'],
    ['training', 'train'],
  ])('%s → %s', (typo, want) => {
    expect(didYouMean(typo, known)).toBe(want);
  });
  it('suggests nothing for an unrelated word', () => {
    expect(didYouMean('colour', known)).toBeUndefined();
  });
});

describe('checkOptions', () => {
  interface Opts {
    n?: number;
    flag?: boolean;
    mode?: 'fan_in' | 'fan_out';
    rate?: number;
  }
  const SPEC = {
    n: option.int(1).default(3),
    flag: option.boolean(),
    mode: option.oneOf(['fan_in', 'fan_out']).default('fan_in'),
    rate: option.number({ min: 0, below: 1 }),
  };
  const f = (o?: Opts) => checkOptions('f', o, SPEC, { hint: (v) => (typeof v === 'number' ? `write f({ n: ${v} })` : undefined) });

  it('fills declared defaults and keeps given values', () => {
    expect(f()).toEqual({ n: 3, mode: 'fan_in' });
    expect(f({ n: 5, flag: false, rate: 0.5 })).toEqual({ n: 5, flag: false, mode: 'fan_in', rate: 0.5 });
    // undefined values are absences (spreading partial options is common)
    expect(f({ n: undefined })).toEqual({ n: 3, mode: 'fan_in' });
  });

  it('refuses a non-object, naming the function, the argument and the value, with the hint', () => {
    expect(() => f(4 as never)).toThrow(new TypeError('f: options must be an object { n, flag, mode, rate }, got 4; write f({ n: 4 })'));
    expect(() => f(null as never)).toThrow(/f: options must be an object .* got null$/);
    expect(() => f([] as never)).toThrow(/got \[\]$/);
    expect(() => f(tensor([1]) as never)).toThrow(/got a Tensor \[1\] float32$/);
    expect(() => f('fan_in' as never)).toThrow(/got 'fan_in'$/);
  });

  it('refuses unknown keys with a suggestion and the known list', () => {
    expect(() => f({ flg: true } as never)).toThrow(new TypeError('f: unknown option "flg" (did you mean "flag"?); known options: n, flag, mode, rate'));
    expect(() => f({ zzz: 1 } as never)).toThrow('f: unknown option "zzz"; known options: n, flag, mode, rate');
  });

  it('refuses wrong types (TypeError) and out-of-domain values (RangeError) without coercion', () => {
    expect(() => f({ flag: 'yes' as never })).toThrow(new TypeError("f: flag must be a boolean (true or false), got 'yes'"));
    expect(() => f({ flag: 1 as never })).toThrow(TypeError);
    expect(() => f({ n: '5' as never })).toThrow(new TypeError("f: n must be an integer ≥ 1, got '5'"));
    expect(() => f({ n: 0 })).toThrow(new RangeError('f: n must be an integer ≥ 1, got 0'));
    expect(() => f({ n: 1.5 })).toThrow(RangeError);
    expect(() => f({ rate: Number.NaN })).toThrow(new RangeError('f: rate must be a number in [0, 1), got NaN'));
    expect(() => f({ rate: 1 })).toThrow(RangeError);
    expect(() => f({ mode: 'fanin' as never })).toThrow(new RangeError("f: mode must be one of 'fan_in', 'fan_out', got 'fanin' (did you mean 'fan_in'?)"));
    expect(() => f({ mode: 0 as never })).toThrow(TypeError);
  });

  it('requires required options', () => {
    const g = (o?: { k?: number }) => checkOptions('g', o, { k: option.int(1).required() });
    expect(() => g({})).toThrow(new TypeError('g: option k is required (an integer ≥ 1)'));
    expect(g({ k: 2 })).toEqual({ k: 2 });
  });

  it('checks arrays entry by entry and unions as a whole', () => {
    const h = (o?: { axis?: number | readonly number[] }) => checkOptions('h', o, { axis: option.anyOf(option.int(), option.arrayOf(option.int())) });
    expect(h({ axis: [0, 1] })).toEqual({ axis: [0, 1] });
    expect(() => h({ axis: [0, '1'] as never })).toThrow(new TypeError("h: axis must be an integer ≥ 0 or an array of integers ≥ 0, got [0, '1']"));
    expect(() => checkArg('h', 'pair', option.arrayOf(option.int(), 2), [1, 2, 3])).toThrow(new RangeError('h: pair must have 2 entries, got 3 ([1, 2, 3])'));
  });

  it('describes a declaration one option a line, with defaults', () => {
    expect(describeOptions(SPEC)).toEqual(['n: an integer ≥ 1 (default 3)', 'flag: a boolean (true or false)', "mode: one of 'fan_in', 'fan_out' (default 'fan_in')", 'rate: a number in [0, 1)']);
  });
});
