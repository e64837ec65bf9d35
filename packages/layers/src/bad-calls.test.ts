// The bad-call table of @ddopt/layers (issue #12): each call is wrong and must throw the stated
// error class, its message starting with the function called (mlp, not the Sequential inside it)
// and naming the option and the value. Then properties: random options with one unknown key or
// one wrong value always throw.
import { prng, tensor } from '@ddopt/tensor';
import { type OptionRow, describeOptionProperties, junk } from '@ddopt/vitest-config/options-property';
import { describe, expect, it } from 'vitest';
import * as L from './index.js';

const b = (v: unknown) => v as never;
const key = prng(0);
const x2 = tensor([[1, 2, 3]]);
const logits = tensor([[0.1, 0.9], [0.8, 0.2]]);
const nanLogits = tensor([[Number.NaN, Number.NaN], [Number.NaN, Number.NaN]]);
const init = (m: L.Module, shape: number[]) => m.init(key, shape);

type Row = [string, () => unknown, ErrorConstructor, string, ...string[]];

const ROWS: Row[] = [
  // Positional habits of torch.nn.
  ['Dense(64)', () => L.Dense(b(64)), TypeError, 'Dense', 'options', 'Dense({ units: 64 })'],
  ['Dropout(0.5)', () => L.Dropout(b(0.5)), TypeError, 'Dropout', 'options', 'Dropout({ rate: 0.5 })'],
  ['Conv2d(16)', () => L.Conv2d(b(16)), TypeError, 'Conv2d', 'options', 'Conv2d({ filters: 16 })'],
  ['MaxPool2d(2)', () => L.MaxPool2d(b(2)), TypeError, 'MaxPool2d', 'options', 'MaxPool2d({ kernelSize: 2 })'],
  ["mse(p, t, 'sum')", () => L.mse(x2, x2, b('sum')), TypeError, 'mse', 'options', "mse(pred, target, { reduction: 'sum' })"],
  ["softmaxCrossEntropy(z, y, 'sum')", () => L.softmaxCrossEntropy(logits, logits, b('sum')), TypeError, 'softmaxCrossEntropy', 'options', "{ reduction: 'sum' }"],
  ["gelu(x, 'tanh')", () => L.gelu(x2, b('tanh')), TypeError, 'gelu', 'options', "gelu(x, { approximate: 'tanh' })"],
  ['twoLayer(10)', () => L.twoLayer(b(10)), TypeError, 'twoLayer', 'options', 'twoLayer({ k: 10 })'],
  // Unknown and misspelled keys.
  ['Conv2d({ filters: 4, kernel: 3 })', () => L.Conv2d(b({ filters: 4, kernel: 3 })), TypeError, 'Conv2d', 'kernel', 'did you mean "kernelSize"'],
  ['Dense({ units: 4, bais: false })', () => L.Dense(b({ units: 4, bais: false })), TypeError, 'Dense', 'bais', 'did you mean "bias"'],
  ['Dense({ units: 4, use_bias: false })', () => L.Dense(b({ units: 4, use_bias: false })), TypeError, 'Dense', 'use_bias'],
  ['Conv1d({ filters: 2, kernelSize: 3, strides: 2 })', () => L.Conv1d(b({ filters: 2, kernelSize: 3, strides: 2 })), TypeError, 'Conv1d', 'strides', 'did you mean "stride"'],
  ['BatchNorm({ momentun: 0.1 })', () => L.BatchNorm(b({ momentun: 0.1 })), TypeError, 'BatchNorm', 'momentun', 'did you mean "momentum"'],
  ['Dropout({ p: 0.5 })', () => L.Dropout(b({ p: 0.5 })), TypeError, 'Dropout', '"p"', 'known options: rate'],
  ['mse(p, t, { reduce: "sum" })', () => L.mse(x2, x2, b({ reduce: 'sum' })), TypeError, 'mse', 'reduce', 'did you mean "reduction"'],
  ['heNormal({ nonlinearity: "relu" })', () => L.initializers.heNormal(b({ nonlinearity: 'relu' })), TypeError, 'heNormal', 'nonlinearity'],
  ['mlp([4], "relu", { biases: false })', () => L.mlp([4], 'relu', b({ biases: false })), TypeError, 'mlp', 'biases', 'did you mean "bias"'],
  ['resnetCifar({ blocks: 2 })', () => L.resnetCifar(b({ blocks: 2 })), TypeError, 'resnetCifar', 'blocks'],
  ['cnnK(4, { classes: 10 })', () => L.cnnK(4, b({ classes: 10 })), TypeError, 'cnnK', 'classes', 'did you mean "numClasses"'],
  ['PReLU({ slope: 0.1 })', () => L.PReLU(b({ slope: 0.1 })), TypeError, 'PReLU', 'slope', 'did you mean "slopes"'],
  ['Residual(body, { skip: Dense })', () => L.Residual(L.Dense({ units: 3 }), b({ skip: L.Dense({ units: 3 }) })), TypeError, 'Residual', 'skip'],
  ['initializer called with { dType }', () => L.initializers.zeros()(key, [2], b({ dType: 'float64' })), TypeError, 'zeros', 'dType', 'did you mean "dtype"'],
  // Contexts: training spelled wrong would run batch norm in eval mode and dropout as the identity.
  ['BatchNorm apply with ctx { training: true }', () => {
    const bn = L.BatchNorm();
    const { params, state } = init(bn, [3]);
    return bn.apply(params, tensor([[1, 2, 3], [4, 5, 6]]), b({ training: true, state }));
  }, TypeError, 'BatchNorm', 'training', 'did you mean "train"'],
  ['Dropout apply with ctx { training: true }', () => L.Dropout({ rate: 0.5 }).apply({}, x2, b({ training: true, key, state: {} })), TypeError, 'Dropout(0.5)', 'training'],
  ['Sequential apply with ctx { train: "yes" }', () => {
    const m = L.Sequential([L.Dense({ units: 2 })]);
    const { params, state } = init(m, [3]);
    return m.apply(params, x2, b({ train: 'yes', state }));
  }, TypeError, 'Sequential(Dense(2))', 'ctx.train', "got 'yes'"],
  ['mlp apply with ctx { training: true }', () => {
    const m = L.mlp([2]);
    const { params, state } = init(m, [3]);
    return m.apply(params, x2, b({ training: true, state }));
  }, TypeError, 'mlp([2])', 'training'],
  ['applyModule(..., { training: true })', () => L.applyModule(L.Dense({ units: 2 }), init(L.Dense({ units: 2 }), [3]).params, x2, b({ training: true, state: {} })), TypeError, 'applyModule', 'training'],
  // Wrong types, enums, domains.
  ["Dense({ units: '4' })", () => L.Dense(b({ units: '4' })), TypeError, 'Dense', 'units', "got '4'"],
  ["Dense({ units: 4, bias: 'no' })", () => L.Dense(b({ units: 4, bias: 'no' })), TypeError, 'Dense', 'bias', "got 'no'"],
  ['Dense({ units: 4, init: heNormal })', () => L.Dense(b({ units: 4, init: 5 })), TypeError, 'Dense', 'init', 'got 5'],
  ['Conv2d({ filters: 4, kernelSize: 3, padding: "full" })', () => L.Conv2d(b({ filters: 4, kernelSize: 3, padding: 'full' })), RangeError, 'Conv2d', 'padding', "got 'full'"],
  ['Conv2d({ filters: 0, kernelSize: 3 })', () => L.Conv2d({ filters: 0, kernelSize: 3 }), RangeError, 'Conv2d', 'filters', 'got 0'],
  ['Conv2d({ filters: 4 })', () => L.Conv2d(b({ filters: 4 })), TypeError, 'Conv2d', 'kernelSize', 'required'],
  ["heNormal({ mode: 'fan_in' })", () => L.initializers.heNormal(b({ mode: 'fan_in' })), RangeError, 'heNormal', 'mode', "got 'fan_in'", "did you mean 'fanIn'"],
  ["heUniform({ a: 'sqrt5' })", () => L.initializers.heUniform(b({ a: 'sqrt5' })), TypeError, 'heUniform', 'a must be', "got 'sqrt5'"],
  ['orthogonal({ gain: NaN })', () => L.initializers.orthogonal({ gain: Number.NaN }), RangeError, 'orthogonal', 'gain', 'got NaN'],
  ['xavierUniform({ gain: -1 })', () => L.initializers.xavierUniform({ gain: -1 }), RangeError, 'xavierUniform', 'gain', 'got -1'],
  ['normal(NaN)', () => L.initializers.normal(Number.NaN), RangeError, 'normal', 'stddev', 'got NaN'],
  ["constant('1')", () => L.initializers.constant(b('1')), TypeError, 'constant', 'value', "got '1'"],
  ['initializer called with dtype int32', () => L.initializers.heNormal()(key, [2, 2], b({ dtype: 'int32' })), RangeError, 'heNormal', 'dtype', "got 'int32'"],
  ['BatchNorm({ momentum: 2 })', () => L.BatchNorm({ momentum: 2 }), RangeError, 'BatchNorm', 'momentum', 'got 2'],
  ["BatchNorm({ affine: 'yes' })", () => L.BatchNorm(b({ affine: 'yes' })), TypeError, 'BatchNorm', 'affine', "got 'yes'"],
  ['Dropout({ rate: 1 })', () => L.Dropout({ rate: 1 }), RangeError, 'Dropout', 'rate', 'got 1'],
  ["PReLU({ slopes: 'channel' })", () => L.PReLU(b({ slopes: 'channel' })), RangeError, 'PReLU', 'slopes', "got 'channel'"],
  ["PatchConv({ patchSize: 2, reduce: 'max' })", () => L.PatchConv(b({ patchSize: 2, reduce: 'max' })), RangeError, 'PatchConv', 'reduce', "got 'max'"],
  ['RandomFourierFeatures({ frequencies: 4, sigma: 0 })', () => L.RandomFourierFeatures({ frequencies: 4, sigma: 0 }), RangeError, 'RandomFourierFeatures', 'sigma', 'got 0'],
  ["twoLayer({ k: 2, activation: 'Relu' })", () => L.twoLayer(b({ k: 2, activation: 'Relu' })), RangeError, 'twoLayer', 'activation', "got 'Relu'"],
  ["mse(p, t, { reduction: 'avg' })", () => L.mse(x2, x2, b({ reduction: 'avg' })), RangeError, 'mse', 'reduction', "got 'avg'"],
  ["mse(p, t, { half: 'no' })", () => L.mse(x2, x2, b({ half: 'no' })), TypeError, 'mse', 'half', "got 'no'"],
  ["gelu(x, { approximate: 'erf' })", () => L.gelu(x2, b({ approximate: 'erf' })), RangeError, 'gelu', 'approximate', "got 'erf'"],
  ["mlp([4, '2'])", () => L.mlp(b([4, '2'])), TypeError, 'mlp', 'widths[1]', "got '2'"],
  ["mlp([4], 'rellu')", () => L.mlp([4], b('rellu')), RangeError, 'mlp', 'activation', "got 'rellu'"],
  ['resnetCifar({ blocksPerStage: 1, widths: [8, 16] })', () => L.resnetCifar(b({ blocksPerStage: 1, widths: [8, 16] })), RangeError, 'resnetCifar', 'widths', '3 entries'],
  ['cnnK(4, { batchNorm: 1 })', () => L.cnnK(4, b({ batchNorm: 1 })), TypeError, 'cnnK', 'batchNorm', 'got 1'],
  ['teacherStudent(m, { key: 1, inputShape: [2] })', () => L.teacherStudent(L.Dense({ units: 1 }), b({ key: 1, inputShape: [2] })), TypeError, 'teacherStudent', 'key', 'got 1'],
  ['Sequential([Dense, 42])', () => L.Sequential(b([L.Dense({ units: 2 }), 42])), TypeError, 'Sequential', 'got 42'],
  // Metrics and losses on values that cannot mean anything.
  ['accuracy(NaN logits, labels)', () => L.accuracy(nanLogits, tensor([0, 1], { dtype: 'int32' })), RangeError, 'accuracy', 'NaN'],
  ['accuracy(NaN binary logits)', () => L.accuracy(tensor([Number.NaN, 1]), tensor([0, 1])), RangeError, 'accuracy', 'NaN'],
  ['accuracy(logits, label 5 of 2 classes)', () => L.accuracy(logits, tensor([0, 5], { dtype: 'int32' })), RangeError, 'accuracy', 'label 5', '[0, 2)'],
  ['accuracy(logits, label -1)', () => L.accuracy(logits, tensor([-1, 0], { dtype: 'int32' })), RangeError, 'accuracy', 'label -1'],
  ['accuracy(binary logits, label 2)', () => L.accuracy(tensor([0.5, -1]), tensor([2, 0])), RangeError, 'accuracy', 'got 2'],
  ['topK(logits, labels, 1.5)', () => L.topK(logits, tensor([0, 1], { dtype: 'int32' }), 1.5), RangeError, 'topK', 'k', 'got 1.5'],
  ['mse([1, 3], [3, 1])', () => L.mse(x2, tensor([[1], [2], [3]])), RangeError, 'mse', '[1, 3]', '[3, 1]'],
  ['mse(array, tensor)', () => L.mse(b([1, 2]), x2), TypeError, 'mse', 'pred', 'got [1, 2]'],
  ['softmaxCrossEntropy(z, label 3)', () => L.softmaxCrossEntropy(logits, tensor([0, 3], { dtype: 'int32' })), RangeError, 'softmaxCrossEntropy', 'label 3'],
];

describe('bad calls to @ddopt/layers', () => {
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
});

const notBoolean = junk.filter((v) => typeof v !== 'boolean');
const notUnits = junk.filter((v) => !(Number.isInteger(v) && (v as number) >= 1));
const notFunction = junk.filter((v) => typeof v !== 'function');

const OPTION_FUNCTIONS: OptionRow[] = [
  { fn: 'Dense', call: (o) => L.Dense(o as never), valid: { units: 3 }, wrong: { units: notUnits, bias: notBoolean, init: notFunction, biasInit: notFunction } },
  { fn: 'Conv2d', call: (o) => L.Conv2d(o as never), valid: { filters: 2, kernelSize: 3 }, wrong: { filters: notUnits, groups: notUnits, bias: notBoolean } },
  { fn: 'BatchNorm', call: (o) => L.BatchNorm(o), valid: { eps: 1e-3 }, wrong: { momentum: junk.filter((v) => !(typeof v === 'number' && v >= 0 && v <= 1)), affine: notBoolean } },
  { fn: 'heNormal', call: (o) => L.initializers.heNormal(o), valid: { a: 0 }, wrong: { mode: junk.filter((v) => v !== 'fanIn' && v !== 'fanOut') } },
  { fn: 'mse', call: (o) => L.mse(x2, x2, o), valid: { half: false }, wrong: { reduction: junk.filter((v) => !['mean', 'sum', 'none'].includes(v as string)), half: notBoolean } },
];

describeOptionProperties(OPTION_FUNCTIONS, { known: ['units', 'bias', 'init', 'biasInit', 'filters', 'kernelSize', 'stride', 'padding', 'dilation', 'groups', 'momentum', 'eps', 'affine', 'a', 'mode', 'reduction', 'half'] });
