// The bad-call table of @ddopt/tensor (issue #12): every call below is wrong, and each must
// throw the stated error class with a message that starts with the function called and names
// the argument and the value seen — never return, never coerce, never ignore. Then properties:
// random options with one unknown key or one wrong value always throw.
import { type OptionRow, describeOptionProperties, junk } from '@ddopt/vitest-config/options-property';
import { describe, expect, it } from 'vitest';
import { arange, eye, full, linspace, ones, scalar, tensor, zeros } from '../src/creation.js';
import { norm, pinv } from '../src/linalg/index.js';
import * as T from '../src/ops/index.js';
import { bernoulli, prng, rademacher, randn, uniform } from '../src/random.js';
import { tidy } from '../src/scope.js';

const x = tensor([[1, 2, 3], [4, 5, 6]]);
const v = tensor([3, 4]);
const img = tensor(new Float32Array(2 * 3 * 5 * 5), { shape: [2, 3, 5, 5] });
const w = tensor(new Float32Array(4 * 3 * 3 * 3), { shape: [4, 3, 3, 3] });
const seq = tensor(new Float32Array(2 * 3 * 7), { shape: [2, 3, 7] });
const w1 = tensor(new Float32Array(4 * 3 * 3), { shape: [4, 3, 3] });
const key = prng(0);
const b = (values: unknown) => values as never;

/** [call as written, the call, error class, the function named first, then the argument and the value the message must contain]. */
type Row = [string, () => unknown, ErrorConstructor, string, ...string[]];

const ROWS: Row[] = [
  // A non-object where an options object is expected (NumPy/PyTorch habits get the right call shown).
  ['sum(x, 1)', () => T.sum(x, b(1)), TypeError, 'sum', 'options', 'got 1', 'sum(x, { axis: 1 })'],
  ['prod(x, 0)', () => T.prod(x, b(0)), TypeError, 'prod', 'options', 'prod(x, { axis: 0 })'],
  ['mean(x, [0, 1])', () => T.mean(x, b([0, 1])), TypeError, 'mean', 'options', 'mean(x, { axis: [0, 1] })'],
  ['max(x, 1)', () => T.max(x, b(1)), TypeError, 'max', 'options', 'max(x, { axis: 1 })'],
  ['min(x, 1)', () => T.min(x, b(1)), TypeError, 'min', 'options', 'min(x, { axis: 1 })'],
  ['logSumExp(x, 1)', () => T.logSumExp(x, b(1)), TypeError, 'logSumExp', 'options', 'logSumExp(x, { axis: 1 })'],
  ['argmax(x, 1)', () => T.argmax(x, b(1)), TypeError, 'argmax', 'options', 'argmax(x, { axis: 1 })'],
  ['argmin(x, 1)', () => T.argmin(x, b(1)), TypeError, 'argmin', 'options', 'argmin(x, { axis: 1 })'],
  ["tensor(values, 'float64')", () => tensor([1, 2], b('float64')), TypeError, 'tensor', 'options', "got 'float64'", "tensor(values, { dtype: 'float64' })"],
  ['tensor(values, [2, 1])', () => tensor([1, 2], b([2, 1])), TypeError, 'tensor', 'options', 'tensor(values, { shape: [2, 1] })'],
  ['norm(v, 1)', () => norm(v, b(1)), TypeError, 'norm', 'options', 'norm(x, { ord: 1 })'],
  ["norm(v, 'fro')", () => norm(x, b('fro')), TypeError, 'norm', 'options', "norm(x, { ord: 'fro' })"],
  ['pinv(a, 1e-3)', () => pinv(tensor([[1, 0], [0, 1]], { dtype: 'float64' }), b(1e-3)), TypeError, 'pinv', 'options', 'pinv(a, { rcond: 0.001 })'],
  ["randn(key, [2], 'float64')", () => randn(key, [2], b('float64')), TypeError, 'randn', 'options', "randn(key, shape, { dtype: 'float64' })"],
  ["uniform(key, [2], 'float64')", () => uniform(key, [2], b('float64')), TypeError, 'uniform', 'options'],
  ['maxPool2d(img, 2)', () => T.maxPool2d(img, b(2)), TypeError, 'maxPool2d', 'options', 'maxPool2d(x, { kernelSize: 2 })'],
  ['conv2d(img, w, 1)', () => T.conv2d(img, w, b(1)), TypeError, 'conv2d', 'options', 'got 1'],
  ['cumsum(x, 0, true)', () => T.cumsum(x, 0, b(true)), TypeError, 'cumsum', 'options', 'got true'],
  ['sum(x, null)', () => T.sum(x, b(null)), TypeError, 'sum', 'options', 'got null'],
  ['sum(x, tensor)', () => T.sum(x, b(v)), TypeError, 'sum', 'options', 'got a Tensor [2] float32'],

  // Unknown or misspelled keys (with a suggestion).
  ['sum(x, { keepDims: true })', () => T.sum(x, b({ keepDims: true })), TypeError, 'sum', 'keepDims', 'did you mean "keepdims"'],
  ['sum(x, { axes: 1 })', () => T.sum(x, b({ axes: 1 })), TypeError, 'sum', 'axes', 'did you mean "axis"'],
  ['mean(x, { dim: 1 })', () => T.mean(x, b({ dim: 1 })), TypeError, 'mean', 'dim', 'did you mean "axis"'],
  ['argmax(x, { axes: 0 })', () => T.argmax(x, b({ axes: 0 })), TypeError, 'argmax', 'axes', 'did you mean "axis"'],
  ['tensor(v, { dtpye })', () => tensor([1], b({ dtpye: 'float64' })), TypeError, 'tensor', 'dtpye', 'did you mean "dtype"'],
  ['conv2d(img, w, { strides: 2 })', () => T.conv2d(img, w, b({ strides: 2 })), TypeError, 'conv2d', 'strides', 'did you mean "stride"'],
  ['conv1d(seq, w1, { pad: 1 })', () => T.conv1d(seq, w1, b({ pad: 1 })), TypeError, 'conv1d', 'pad', 'known options'],
  ['convTranspose2d(img, w, { output_padding: 1 })', () => T.convTranspose2d(img, tensor(new Float32Array(3 * 4 * 3 * 3), { shape: [3, 4, 3, 3] }), b({ output_padding: 1 })), TypeError, 'convTranspose2d', 'output_padding', 'did you mean "outputPadding"'],
  ['avgPool2d(img, { kernel: 2 })', () => T.avgPool2d(img, b({ kernel: 2 })), TypeError, 'avgPool2d', 'kernel', 'did you mean "kernelSize"'],
  ['norm(v, { p: 1 })', () => norm(v, b({ p: 1 })), TypeError, 'norm', '"p"', 'known options: ord, axis, keepdims'],
  ['uniform(key, [2], { min: 0 })', () => uniform(key, [2], b({ min: 0 })), TypeError, 'uniform', '"min"'],
  ['randn(key, [2], { seed: 1 })', () => randn(key, [2], b({ seed: 1 })), TypeError, 'randn', '"seed"'],
  ['rademacher(key, [2], { type: "int32" })', () => rademacher(key, [2], b({ type: 'int32' })), TypeError, 'rademacher', '"type"'],
  ['cumsum(x, 0, { reversed: true })', () => T.cumsum(x, 0, b({ reversed: true })), TypeError, 'cumsum', 'reversed', 'did you mean "reverse"'],
  ['pinv(a, { rtol: 1 })', () => pinv(tensor([[1]], { dtype: 'float64' }), b({ rtol: 1 })), TypeError, 'pinv', 'rtol'],

  // Wrong types are not coerced by truthiness or string-to-number; enums are checked.
  ["sum(x, { keepdims: 'no' })", () => T.sum(x, b({ keepdims: 'no' })), TypeError, 'sum', 'keepdims', "got 'no'"],
  ['max(x, { keepdims: 1 })', () => T.max(x, b({ keepdims: 1 })), TypeError, 'max', 'keepdims', 'got 1'],
  ["sum(x, { axis: '1' })", () => T.sum(x, b({ axis: '1' })), TypeError, 'sum', 'axis', "got '1'"],
  ['sum(x, { axis: 0.5 })', () => T.sum(x, b({ axis: 0.5 })), RangeError, 'sum', 'axis', 'got 0.5'],
  ["argmax(x, { axis: [0] })", () => T.argmax(x, b({ axis: [0] })), TypeError, 'argmax', 'axis', 'got [0]'],
  ["cumsum(x, 0, { reverse: 'yes' })", () => T.cumsum(x, 0, b({ reverse: 'yes' })), TypeError, 'cumsum', 'reverse', "got 'yes'"],
  ["tensor([1], { dtype: 'float16' })", () => tensor([1], b({ dtype: 'float16' })), RangeError, 'tensor', 'dtype', "got 'float16'"],
  ["tensor([1], { backend: 3 })", () => tensor([1], b({ backend: 3 })), TypeError, 'tensor', 'backend', 'got 3'],
  ["tensor([1], { shape: ['1'] })", () => tensor([1], b({ shape: ['1'] })), TypeError, 'tensor', 'shape[0]', "got '1'"],
  ["uniform(key, [2], { low: '0' })", () => uniform(key, [2], b({ low: '0' })), TypeError, 'uniform', 'low', "got '0'"],
  ["randn(key, [2], { dtype: 'int32' })", () => randn(key, [2], b({ dtype: 'int32' })), RangeError, 'randn', 'dtype', "got 'int32'"],
  ["rademacher(key, [2], { dtype: 'bool' })", () => rademacher(key, [2], b({ dtype: 'bool' })), RangeError, 'rademacher', 'dtype', "got 'bool'"],
  ["norm(v, { ord: 'l1' })", () => norm(v, b({ ord: 'l1' })), RangeError, 'norm', 'ord', "got 'l1'"],
  ["norm(v, { keepdims: 'true' })", () => norm(v, b({ keepdims: 'true' })), TypeError, 'norm', 'keepdims', "got 'true'"],
  ['conv2d(img, w, { groups: 1.5 })', () => T.conv2d(img, w, { groups: 1.5 }), RangeError, 'conv2d', 'groups', 'got 1.5'],
  ["conv2d(img, w, { padding: 'full' })", () => T.conv2d(img, w, b({ padding: 'full' })), RangeError, 'conv2d', 'padding', "got 'full'"],
  ["conv2d(img, w, { stride: '2' })", () => T.conv2d(img, w, b({ stride: '2' })), TypeError, 'conv2d', 'stride', "got '2'"],
  ['conv1d(seq, w1, { stride: [1, 2] })', () => T.conv1d(seq, w1, b({ stride: [1, 2] })), TypeError, 'conv1d', 'stride', 'got [1, 2]'],
  ["conv1d(seq, w1, { padding: 'full' })", () => T.conv1d(seq, w1, b({ padding: 'full' })), RangeError, 'conv1d', 'padding', "got 'full'"],
  ['maxPool2d(img, { kernelSize: 0 })', () => T.maxPool2d(img, { kernelSize: 0 }), RangeError, 'maxPool2d', 'kernelSize', 'got 0'],
  ['maxPool2d(img, {})', () => T.maxPool2d(img, b({})), TypeError, 'maxPool2d', 'kernelSize', 'required'],

  // Out-of-domain values.
  ['pinv(a, { rcond: -1 })', () => pinv(tensor([[1]], { dtype: 'float64' }), { rcond: -1 }), RangeError, 'pinv', 'rcond', 'got -1'],
  ['pinv(a, { rcond: NaN })', () => pinv(tensor([[1]], { dtype: 'float64' }), { rcond: Number.NaN }), RangeError, 'pinv', 'rcond', 'got NaN'],
  ['uniform(key, [2], { high: Infinity })', () => uniform(key, [2], { high: Number.POSITIVE_INFINITY }), RangeError, 'uniform', 'high', 'got Infinity'],
  ['bernoulli(key, 1.5, [2])', () => bernoulli(key, 1.5, [2]), RangeError, 'bernoulli', 'p', 'got 1.5'],
  ["bernoulli(key, '0.5', [2])", () => bernoulli(key, b('0.5'), [2]), TypeError, 'bernoulli', 'p', "got '0.5'"],
  ['oneHot(idx out of range)', () => T.oneHot(tensor([0, 5], { dtype: 'int32' }), 3), RangeError, 'oneHot', 'index 5', '[0, 3)'],
  ['oneHot(negative idx)', () => T.oneHot(tensor([-1], { dtype: 'int32' }), 3), RangeError, 'oneHot', 'index -1'],

  // Creation never coerces.
  ['tensor([NaN], int32)', () => tensor([Number.NaN], { dtype: 'int32' }), TypeError, 'tensor', 'flat index 0', 'NaN'],
  ['tensor([Infinity], int32)', () => tensor([Number.POSITIVE_INFINITY], { dtype: 'int32' }), TypeError, 'tensor', 'flat index 0', 'Infinity'],
  ['tensor([3e9], int32)', () => tensor([3e9], { dtype: 'int32' }), RangeError, 'tensor', 'flat index 0', '3000000000'],
  ['tensor([1.5], int32)', () => tensor([1.5], { dtype: 'int32' }), TypeError, 'tensor', 'flat index 0', '1.5'],
  // biome-ignore lint/suspicious/noSparseArray: the hole is the bad input under test
  ['tensor([1, , 3])', () => tensor(b([1, , 3])), TypeError, 'tensor', 'hole', 'index 1'],
  ['tensor([1, undefined])', () => tensor(b([1, undefined])), TypeError, 'tensor', 'flat index 1', 'got undefined'],
  ['tensor([1, null])', () => tensor(b([1, null])), TypeError, 'tensor', 'flat index 1', 'got null'],
  ["tensor(['1', 2])", () => tensor(b(['1', 2])), TypeError, 'tensor', 'flat index 0', "got '1'"],
  ['tensor([{}])', () => tensor(b([{}])), TypeError, 'tensor', 'flat index 0', 'an object'],
  ["tensor('1')", () => tensor(b('1')), TypeError, 'tensor', 'values', "got '1'"],
  ['tensor(null)', () => tensor(b(null)), TypeError, 'tensor', 'values', 'got null'],
  ['tensor(tensor)', () => tensor(b(v)), TypeError, 'tensor', 'values', 'a Tensor'],
  ['tensor(Int8Array)', () => tensor(b(new Int8Array([1, 2]))), TypeError, 'tensor', 'Int8Array', 'dtype'],
  ['tensor(Int16Array)', () => tensor(b(new Int16Array([1, 2]))), TypeError, 'tensor', 'Int16Array', 'dtype'],
  ['tensor(Uint16Array)', () => tensor(b(new Uint16Array([1, 2]))), TypeError, 'tensor', 'Uint16Array', 'dtype'],
  ['tensor([2], bool)', () => tensor([2], { dtype: 'bool' }), TypeError, 'tensor', 'flat index 0', '2'],
  ["full([2], '1')", () => full([2], b('1')), TypeError, 'full', 'value', "got '1'"],
  ['full([2], 1.5, int32)', () => full([2], 1.5, 'int32'), TypeError, 'full', 'value', '1.5'],
  ['full([2], 2, bool)', () => full([2], 2, 'bool'), TypeError, 'full', 'value', '2'],
  ["full([2], 1, 'double')", () => full([2], 1, b('double')), RangeError, 'full', 'dtype', "got 'double'"],
  ['full(2, 1)', () => full(b(2), 1), TypeError, 'full', 'shape', 'got 2'],
  ['zeros([2.5])', () => zeros([2.5]), RangeError, 'zeros', 'shape', '[2.5]'],
  ["ones([2], 'f32')", () => ones([2], b('f32')), RangeError, 'ones', 'dtype', "got 'f32'"],
  ['eye(-1)', () => eye(-1), RangeError, 'eye', 'n', 'got -1'],
  ["eye(2, '3')", () => eye(2, b('3')), TypeError, 'eye', 'm', "got '3'"],
  ['arange(NaN)', () => arange(Number.NaN), RangeError, 'arange', 'start', 'got NaN'],
  ['arange(0, Infinity)', () => arange(0, Number.POSITIVE_INFINITY), RangeError, 'arange', 'stop', 'got Infinity'],
  ["arange('5')", () => arange(b('5')), TypeError, 'arange', 'start', "got '5'"],
  ['arange(0, 1, 0.5, int32)', () => arange(0, 1, 0.5, 'int32'), TypeError, 'arange', 'value 1', '0.5'],
  ['linspace(0, 1, 3, int32)', () => linspace(0, 1, 3, 'int32'), TypeError, 'linspace', 'value 1', '0.5'],
  ['linspace(0, 1, -1)', () => linspace(0, 1, -1), RangeError, 'linspace', 'num', 'got -1'],
  ["scalar('1')", () => scalar(b('1')), TypeError, 'scalar', 'value', "got '1'"],
  ["scalar(1, 'int')", () => scalar(1, b('int')), RangeError, 'scalar', 'dtype', "got 'int'"],
  ["tensor([1], { backend: 'tpu' })", () => tensor([1], { backend: 'tpu' }), Error, 'tensor', 'tpu'],

  // Ops refuse what they cannot mean.
  ['relu(bool)', () => T.relu(tensor([true, false])), TypeError, 'relu', 'x', 'bool'],
  ["softmax(x, '1')", () => T.softmax(x, b('1')), TypeError, 'softmax', 'axis', "got '1'"],
  ['squeeze(x, { axis: 0 })', () => T.squeeze(x, b({ axis: 0 })), TypeError, 'squeeze', 'axis', 'an object'],
  ["reshape(x, '6')", () => T.reshape(x, b('6')), TypeError, 'reshape', 'shape', '6'],
  ["cast(x, 'float16')", () => T.cast(x, b('float16')), RangeError, 'cast', 'dtype', "got 'float16'"],
  ['tidy(5)', () => tidy(b(5)), TypeError, 'tidy', 'fn', 'got 5'],
];

describe('bad calls to @ddopt/tensor', () => {
  it.each(ROWS)('%s throws, naming the function, the argument and the value', (_, call, Err, fn, ...mentions) => {
    let returned: unknown;
    let error: unknown;
    try {
      returned = call();
    } catch (e) {
      error = e;
    }
    expect(error, `returned ${String(returned)} instead of throwing`).toBeInstanceOf(Err);
    const message = (error as Error).message;
    expect(message.startsWith(`${fn}: `), message).toBe(true);
    for (const m of mentions) expect(message).toContain(m);
  });

  it(`has ${ROWS.length} rows`, () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(90);
  });
});

// Values that are not of a kind, written independently of the checks under test.
const notBoolean = junk.filter((v) => typeof v !== 'boolean');
const notInteger = junk.filter((v) => !Number.isInteger(v) && !Array.isArray(v));
const notDtype = junk.filter((v) => !['float32', 'float64', 'int32', 'bool'].includes(v as string));

/** Each options-taking function with valid options, and per key an arbitrary of wrong values. */
const OPTION_FUNCTIONS: OptionRow[] = [
  { fn: 'sum', call: (o) => T.sum(x, o), valid: { axis: 1, keepdims: true }, wrong: { axis: notInteger, keepdims: notBoolean } },
  { fn: 'mean', call: (o) => T.mean(x, o), valid: { axis: [0], keepdims: false }, wrong: { axis: notInteger, keepdims: notBoolean } },
  { fn: 'max', call: (o) => T.max(x, o), valid: { axis: 0 }, wrong: { axis: notInteger, keepdims: notBoolean } },
  { fn: 'argmax', call: (o) => T.argmax(x, o), valid: { axis: 1 }, wrong: { axis: junk.filter((v) => !Number.isInteger(v)), keepdims: notBoolean } },
  { fn: 'logSumExp', call: (o) => T.logSumExp(x, o), valid: { axis: -1 }, wrong: { axis: notInteger, keepdims: notBoolean } },
  { fn: 'cumsum', call: (o) => T.cumsum(x, 0, o), valid: { reverse: true }, wrong: { reverse: notBoolean } },
  { fn: 'tensor', call: (o) => tensor([1, 2], o), valid: { dtype: 'float64' }, wrong: { dtype: notDtype, backend: junk.filter((v) => typeof v !== 'string') } },
  { fn: 'randn', call: (o) => randn(key, [2], o), valid: { dtype: 'float64' }, wrong: { dtype: junk.filter((v) => v !== 'float32' && v !== 'float64') } },
  { fn: 'uniform', call: (o) => uniform(key, [2], o), valid: { low: -1, high: 1 }, wrong: { low: junk.filter((v) => typeof v !== 'number' || !Number.isFinite(v)), dtype: notDtype } },
  { fn: 'norm', call: (o) => norm(v, o), valid: { ord: 1 }, wrong: { keepdims: notBoolean, axis: notInteger } },
  { fn: 'conv2d', call: (o) => T.conv2d(img, w, o), valid: { stride: 1 }, wrong: { groups: notInteger, stride: junk.filter((v) => !Number.isInteger(v) && !Array.isArray(v)) } },
  { fn: 'maxPool2d', call: (o) => T.maxPool2d(img, o as never), valid: { kernelSize: 2 }, wrong: { stride: junk.filter((v) => !Number.isInteger(v) && !Array.isArray(v)) } },
];

describeOptionProperties(OPTION_FUNCTIONS, { known: ['axis', 'keepdims', 'dtype', 'shape', 'backend', 'low', 'high', 'ord', 'reverse', 'stride', 'padding', 'dilation', 'groups', 'kernelSize'], numRuns: 60 });
