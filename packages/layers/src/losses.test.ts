import { tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy, mse, softmaxCrossEntropy } from './losses.js';
import { accuracy, topK } from './metrics.js';

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });

describe('mse', () => {
  const p = f64([[1, 2], [3, 4]]);
  const t = f64([[0, 2], [1, 1]]);
  it('is ½·mean square by default, plain mean with half: false', () => {
    expect(mse(p, t).item()).toBeCloseTo((1 + 0 + 4 + 9) / 8, 14);
    expect(mse(p, t, { half: false }).item()).toBeCloseTo(14 / 4, 14);
    expect(mse(p, t, { reduction: 'sum' }).item()).toBeCloseTo(7, 14);
    expect(mse(p, t, { reduction: 'none' }).toArray()).toEqual([[0.5, 0], [2, 4.5]]);
  });
  it('refuses mismatched shapes instead of broadcasting', () => {
    expect(() => mse(p, f64([1, 2]))).toThrow(/pred \[2, 2\] and target \[2\] must have the same shape/);
  });
});

describe('binaryCrossEntropy', () => {
  it('matches −y log σ(z) − (1−y) log(1−σ(z)) and is stable for large logits', () => {
    const z = [-3, 0.5, 2, 800, -800];
    const y = [0, 1, 1, 0, 1];
    const got = binaryCrossEntropy(f64(z), f64(y), { reduction: 'none' }).dataSync();
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    for (let i = 0; i < 3; i++) expect(got[i]).toBeCloseTo(-(y[i]! * Math.log(sig(z[i]!)) + (1 - y[i]!) * Math.log(1 - sig(z[i]!))), 12);
    expect(got[3]).toBeCloseTo(800, 10);
    expect(got[4]).toBeCloseTo(800, 10);
  });
});

describe('softmaxCrossEntropy', () => {
  const logits = f64([[1, 2, 3], [1000, 0, -1000]]);
  const expected0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
  it('takes int32 labels and one-hot targets alike', () => {
    const labels = tensor([0, 0], { dtype: 'int32' });
    const none = softmaxCrossEntropy(logits, labels, { reduction: 'none' }).dataSync();
    expect(none[0]).toBeCloseTo(expected0, 12);
    expect(none[1]).toBeCloseTo(0, 12);
    expect(softmaxCrossEntropy(logits, labels).item()).toBeCloseTo(expected0 / 2, 12);
    const onehot = f64([[1, 0, 0], [1, 0, 0]]);
    expect(softmaxCrossEntropy(logits, onehot, { reduction: 'sum' }).item()).toBeCloseTo(expected0, 12);
  });
  it('refuses labels out of range', () => {
    expect(() => softmaxCrossEntropy(logits, tensor([0, 3], { dtype: 'int32' }))).toThrow(/label 3 at index 1 is outside \[0, 3\)/);
  });
});

describe('metrics', () => {
  const logits = tensor([[0.1, 0.7, 0.2], [0.5, 0.1, 0.4], [0.2, 0.3, 0.5], [0.9, 0.05, 0.05]]);
  const labels = tensor([1, 2, 0, 0], { dtype: 'int32' });
  it('accuracy and topK', () => {
    expect(accuracy(logits, labels)).toBe(0.5);
    expect(topK(logits, labels, 2)).toBe(0.75);
    expect(topK(logits, labels, 3)).toBe(1);
  });
  it('binary accuracy from one logit', () => {
    expect(accuracy(tensor([-1, 2, 0.5]), tensor([0, 1, 0]))).toBeCloseTo(2 / 3, 12);
  });
});
