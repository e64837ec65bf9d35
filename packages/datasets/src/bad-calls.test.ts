// The bad-call table of @ddopt/datasets (issue #12): each call is wrong and must throw the stated
// error class (async readers: reject with it), the message starting with the function called and
// naming the option and the value. Then properties: one unknown key or wrong value always throws.
import { prng, tensor } from '@ddopt/tensor';
import { type OptionRow, describeOptionProperties, junk } from '@ddopt/vitest-config/options-property';
import { describe, expect, it } from 'vitest';
import * as D from './index.js';

const b = (v: unknown) => v as never;
const key = prng(0);
const data = { x: tensor([[1], [2], [3], [4]]), y: tensor([0, 1, 0, 1], { dtype: 'int32' }) };
const first = (g: Iterable<unknown>) => {
  for (const v of g) return v;
  return undefined;
};

type Row = [string, () => unknown, ErrorConstructor, string, ...string[]];

const ROWS: Row[] = [
  // Positional habits.
  ['mnist(100)', () => D.mnist(b(100)), TypeError, 'mnist', 'options', 'got 100', 'mnist({ train: 100 })'],
  ['batches(data, 32)', () => D.batches(data, b(32)), TypeError, 'batches', 'options', 'batches(data, { batchSize: 32 })'],
  ['trainTestSplit(data, 0.25)', () => D.trainTestSplit(data, b(0.25)), TypeError, 'trainTestSplit', 'options', 'trainTestSplit(data, { testSize: 0.25, seed })'],
  ["iris('float64')", () => D.iris(b('float64')), TypeError, 'iris', 'options', "iris({ dtype: 'float64' })"],
  ["cifar10('/data')", () => D.cifar10(b('/data')), TypeError, 'cifar10', 'options', "cifar10({ dir: '/data' })"],
  // Unknown and misspelled keys.
  ['batches(data, { batchSize: 2, drop_last: true })', () => D.batches(data, b({ batchSize: 2, drop_last: true })), TypeError, 'batches', 'drop_last', 'did you mean "dropLast"'],
  ['batches(data, { batch_size: 2 })', () => D.batches(data, b({ batch_size: 2 })), TypeError, 'batches', 'batch_size', 'did you mean "batchSize"'],
  ['batches(data, { batchSize: 2, shufle: true })', () => D.batches(data, b({ batchSize: 2, shufle: true })), TypeError, 'batches', 'shufle', 'did you mean "shuffle"'],
  ['trainTestSplit(data, { test_size: 0.25 })', () => D.trainTestSplit(data, b({ test_size: 0.25 })), TypeError, 'trainTestSplit', 'test_size', 'did you mean "testSize"'],
  ['mnist({ nTrain: 100 })', () => D.mnist(b({ nTrain: 100 })), TypeError, 'mnist', 'nTrain'],
  ['labelNoise(y, { prob: 0.1, ... })', () => D.labelNoise(data.y, b({ prob: 0.1, numClasses: 2, key })), TypeError, 'labelNoise', 'prob'],
  ['nakkiranRegression({ ..., noise: 0.1 })', () => D.nakkiranRegression(b({ d: 3, n: 4, sigma: 0.1, key, noise: 0.1 })), TypeError, 'nakkiranRegression', 'noise'],
  ['xor({ n: 4, key, seed: 1 })', () => D.xor(b({ n: 4, key, seed: 1 })), TypeError, 'xor', 'seed', 'did you mean "key"'],
  ['circles({ n: 4, key, ratio: 0.5 })', () => D.circles(b({ n: 4, key, ratio: 0.5 })), TypeError, 'circles', 'ratio'],
  ['gaussianBlobs({ n: 4, key, sigma: 1 })', () => D.gaussianBlobs(b({ n: 4, key, sigma: 1 })), TypeError, 'gaussianBlobs', 'sigma'],
  ['sudoku({ n: 1, key, clues: 30 })', () => D.sudoku(b({ n: 1, key, clues: 30 })), TypeError, 'sudoku', 'clues'],
  ['mnistFromIdx({ imgs, labels })', () => D.mnistFromIdx(b({ imgs: 'a', labels: 'b' })), TypeError, 'mnistFromIdx', 'imgs', 'did you mean "images"'],
  // Wrong types, never coerced.
  ["batches(data, { batchSize: 2, shuffle: 'yes', seed: 1 })", () => D.batches(data, b({ batchSize: 2, shuffle: 'yes', seed: 1 })), TypeError, 'batches', 'shuffle', "got 'yes'"],
  ["batches(data, { batchSize: '2' })", () => D.batches(data, b({ batchSize: '2' })), TypeError, 'batches', 'batchSize', "got '2'"],
  ['batches(data, { batchSize: 0 })', () => D.batches(data, { batchSize: 0 }), RangeError, 'batches', 'batchSize', 'got 0'],
  ['batches(data, { batchSize: 2, dropLast: 1 })', () => D.batches(data, b({ batchSize: 2, dropLast: 1 })), TypeError, 'batches', 'dropLast', 'got 1'],
  ["batches(data, { ..., seed: '7' })", () => D.batches(data, b({ batchSize: 2, shuffle: true, seed: '7' })), TypeError, 'batches', 'seed', "got '7'"],
  ['batches(data, { ..., key: 7 })', () => D.batches(data, b({ batchSize: 2, shuffle: true, key: 7 })), TypeError, 'batches', 'key', 'got 7'],
  ['batches(data, { ..., epoch: -1 })', () => D.batches(data, { batchSize: 2, shuffle: true, seed: 1, epoch: -1 }), RangeError, 'batches', 'epoch', 'got -1'],
  ["trainTestSplit(data, { testSize: '0.25', seed: 1 })", () => D.trainTestSplit(data, b({ testSize: '0.25', seed: 1 })), TypeError, 'trainTestSplit', 'testSize', "got '0.25'"],
  ['trainTestSplit(data, { testSize: 1.5, seed: 1 })', () => D.trainTestSplit(data, { testSize: 1.5, seed: 1 }), RangeError, 'trainTestSplit', 'testSize', '1.5'],
  ["mnist({ layout: 'nchw' })", () => D.mnist(b({ layout: 'nchw' })), RangeError, 'mnist', 'layout', "got 'nchw'"],
  ["mnist({ dtype: 'int32' })", () => D.mnist(b({ dtype: 'int32' })), RangeError, 'mnist', 'dtype', "got 'int32'"],
  ['mnist({ train: 1.5 })', () => D.mnist({ train: 1.5 }), RangeError, 'mnist', 'train', 'got 1.5'],
  ["iris({ dtype: 'float16' })", () => D.iris(b({ dtype: 'float16' })), RangeError, 'iris', 'dtype', "got 'float16'"],
  ['labelNoise(y, { p: 1.5, ... })', () => D.labelNoise(data.y, { p: 1.5, numClasses: 2, key }), RangeError, 'labelNoise', 'p', 'got 1.5'],
  ["labelNoise(y, { p: '0.1', ... })", () => D.labelNoise(data.y, b({ p: '0.1', numClasses: 2, key })), TypeError, 'labelNoise', 'p', "got '0.1'"],
  ['labelNoise([0, 1], ...)', () => D.labelNoise(b([0, 1]), { p: 0.1, numClasses: 2, key }), TypeError, 'labelNoise', 'labels', 'got [0, 1]'],
  ['nakkiranRegression({ sigma: -1 })', () => D.nakkiranRegression({ d: 3, n: 4, sigma: -1, key }), RangeError, 'nakkiranRegression', 'sigma', 'got -1'],
  ['nakkiranRegression({ key: 0 })', () => D.nakkiranRegression(b({ d: 3, n: 4, sigma: 0.1, key: 0 })), TypeError, 'nakkiranRegression', 'key', 'got 0'],
  ['teacherStudentData({ teacher: 1 })', () => D.teacherStudentData(b({ teacher: 1, inputShape: [2], n: 3, key })), TypeError, 'teacherStudentData', 'teacher', 'got 1'],
  ["twoSpirals({ n: 4, key, dtype: 'int32' })", () => D.twoSpirals(b({ n: 4, key, dtype: 'int32' })), RangeError, 'twoSpirals', 'dtype', "got 'int32'"],
  ['circles({ n: 4, key, factor: 1 })', () => D.circles({ n: 4, key, factor: 1 }), RangeError, 'circles', 'factor', 'got 1'],
  ['xor({ n: 4, key, noise: -0.1 })', () => D.xor({ n: 4, key, noise: -0.1 }), RangeError, 'xor', 'noise', 'got -0.1'],
  ['gaussianBlobs({ n: 4, key, std: -1 })', () => D.gaussianBlobs({ n: 4, key, std: -1 }), RangeError, 'gaussianBlobs', 'std', 'got -1'],
  ['gaussianBlobs({ n: 4, key, centers: [] })', () => D.gaussianBlobs({ n: 4, key, centers: [] }), RangeError, 'gaussianBlobs', 'centers', 'got []'],
  ['gaussianBlobs({ n: 4, key, centers: [[0, 0, 1]] })', () => D.gaussianBlobs(b({ n: 4, key, centers: [[0, 0, 1]] })), RangeError, 'gaussianBlobs', 'centers[0]', '2 entries'],
  ['gaussianBlobs({ n: 0, key })', () => D.gaussianBlobs({ n: 0, key }), RangeError, 'gaussianBlobs', 'n', 'got 0'],
  ['sudoku({ n: 1, key, size: 6 })', () => D.sudoku(b({ n: 1, key, size: 6 })), RangeError, 'sudoku', 'size', 'got 6'],
  ["sudoku({ n: 1, key, unique: 'yes' })", () => D.sudoku(b({ n: 1, key, unique: 'yes' })), TypeError, 'sudoku', 'unique', "got 'yes'"],
  ["sudokuToBits(grids, { dtype: 'int32' })", () => D.sudokuToBits(tensor(new Int32Array(16), { shape: [1, 16] }), b({ dtype: 'int32' })), RangeError, 'sudokuToBits', 'dtype', "got 'int32'"],
  ["parseCifar10('bytes')", () => D.parseCifar10(b('bytes')), TypeError, 'parseCifar10', 'bytes', "got 'bytes'"],
  // Options that would be ignored.
  ['batches(data, { batchSize: 2, seed: 1 }) without shuffle', () => D.batches(data, { batchSize: 2, seed: 1 }), TypeError, 'batches', 'seed', 'shuffle'],
  ['batches(data, { batchSize: 2, epoch: 3 }) without shuffle', () => D.batches(data, { batchSize: 2, epoch: 3 }), TypeError, 'batches', 'epoch', 'shuffle'],
  ['batches(data, { ..., seed and key })', () => D.batches(data, { batchSize: 2, shuffle: true, seed: 1, key }), TypeError, 'batches', 'seed', 'key'],
  ['batches(data, { batchSize: 2, shuffle: true })', () => D.batches(data, { batchSize: 2, shuffle: true }), TypeError, 'batches', 'seed'],
  ['trainTestSplit(data, { testSize: 1, shuffle: false, seed: 1 })', () => D.trainTestSplit(data, { testSize: 1, shuffle: false, seed: 1 }), TypeError, 'trainTestSplit', 'seed', 'shuffle'],
  ['mnist({ seed: 1, key })', () => D.mnist({ seed: 1, key }), TypeError, 'mnist', 'seed', 'key'],
  // Data that is not data.
  ['batches([x, y], ...)', () => D.batches(b([data.x, data.y]), { batchSize: 2 }), TypeError, 'batches', 'data', 'got ['],
  ['trainTestSplit(tensor, ...)', () => D.trainTestSplit(b(data.x), { testSize: 1, seed: 1 }), TypeError, 'trainTestSplit', 'data', 'a Tensor'],
];

describe('bad calls to @ddopt/datasets', () => {
  it.each(ROWS)('%s throws, naming the function, the argument and the value', async (_, call, Err, fn, ...mentions) => {
    let returned: unknown;
    let error: unknown;
    try {
      returned = await call();
      // A generator that did not throw on creation must not throw later either: that is a late error.
      if (returned && typeof (returned as Iterable<unknown>)[Symbol.iterator] === 'function') first(returned as Iterable<unknown>);
    } catch (e) {
      error = e;
    }
    expect(error, `returned ${String(returned)} instead of throwing`).toBeInstanceOf(Err);
    const message = (error as Error).message;
    expect(message.startsWith(`${fn}: `), message).toBe(true);
    for (const m of mentions) expect(message).toContain(m);
  });

  it('batches refuses bad options when called, before the first batch is asked for', () => {
    expect(() => D.batches(data, b({ batchSize: 2, drop_last: true }))).toThrow(TypeError);
  });
});

const notBoolean = junk.filter((v) => typeof v !== 'boolean');
const notCount = junk.filter((v) => !(Number.isInteger(v) && (v as number) >= 1));

const OPTION_FUNCTIONS: OptionRow[] = [
  { fn: 'batches', call: (o) => D.batches(data, o as never), valid: { batchSize: 2 }, wrong: { batchSize: notCount, shuffle: notBoolean, dropLast: notBoolean } },
  { fn: 'trainTestSplit', call: (o) => D.trainTestSplit(data, o as never), valid: { testSize: 1, seed: 3 }, wrong: { shuffle: notBoolean, seed: junk.filter((v) => !Number.isSafeInteger(v)) } },
  { fn: 'xor', call: (o) => D.xor(o as never), valid: { n: 4, key }, wrong: { n: junk.filter((v) => !(Number.isInteger(v) && (v as number) >= 0)), noise: junk.filter((v) => !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) } },
];

describeOptionProperties(OPTION_FUNCTIONS, { known: ['batchSize', 'shuffle', 'seed', 'key', 'epoch', 'dropLast', 'testSize', 'n', 'noise', 'dtype'] });
