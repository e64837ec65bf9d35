import { readFileSync } from 'node:fs';
import { type Tensor, add, conv2d, div, logSoftmax, matmul, mul, neg, oneHot, relu, reshape, sum, tanh, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { hvp, valueAndGrad, vhp } from '../src/index.js';

// Recorded by fixtures/record_torch.py (PyTorch 1.13, float64).
interface Packed {
  shape: number[];
  data: number[];
}
interface Recording {
  x: Packed;
  labels: number[];
  params: Record<string, Packed>;
  v: Record<string, Packed>;
  loss: number;
  grad: Record<string, Packed>;
  hvp: Record<string, Packed>;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch_grads.json', import.meta.url), 'utf8')) as { mlp: Recording; conv: Recording };

const unpack = (p: Packed): Tensor => tensor(Float64Array.from(p.data), { shape: p.shape, dtype: 'float64' });
const unpackAll = (r: Record<string, Packed>): Record<string, Tensor> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, unpack(v)]));

function crossEntropy(logits: Tensor, labels: number[]): Tensor {
  const hot = oneHot(tensor(labels, { dtype: 'int32' }), logits.shape[1]!, 'float64');
  return div(neg(sum(mul(hot, logSoftmax(logits)))), labels.length);
}

function expectClose(actual: Record<string, Tensor>, expected: Record<string, Packed>): void {
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name]!;
    expect(got.shape, name).toEqual(want.shape);
    const a = got.dataSync();
    let worst = 0;
    want.data.forEach((w, i) => {
      worst = Math.max(worst, Math.abs(a[i]! - w));
    });
    expect(worst, `${name}: max |ddopt − torch|`).toBeLessThan(1e-10);
  }
}

function check(r: Recording, loss: (p: Record<string, Tensor>) => Tensor): void {
  const params = unpackAll(r.params);
  const v = unpackAll(r.v);
  const [value, grads] = valueAndGrad(loss)(params) as [Tensor, Record<string, Tensor>];
  expect(Math.abs(value.item() - r.loss)).toBeLessThan(1e-12);
  expectClose(grads, r.grad);
  expectClose(hvp(loss, params, v), r.hvp);
  expectClose(vhp(loss, params, v), r.hvp);
}

describe('matches PyTorch 1.13 (float64) to 1e-10', () => {
  it('tanh MLP with softmax cross-entropy: loss, gradient, HVP (forward-over-reverse and reverse-over-reverse)', () => {
    const r = fixture.mlp;
    const x = unpack(r.x);
    check(r, (p) => {
      const h = tanh(add(matmul(x, p.w1!), p.b1!));
      return crossEntropy(add(matmul(h, p.w2!), p.b2!), r.labels);
    });
  });

  it('conv2d (dilation, padding, stride, groups) + ReLU net: loss, gradient, HVP', () => {
    const r = fixture.conv;
    const x = unpack(r.x);
    check(r, (p) => {
      let h = relu(add(conv2d(x, p.w1!, { padding: 2, dilation: 2 }), reshape(p.b1!, [1, 4, 1, 1])));
      h = relu(conv2d(h, p.w2!, { stride: 2, groups: 2 }));
      return crossEntropy(add(matmul(reshape(h, [2, -1]), p.w3!), p.b3!), r.labels);
    });
  });
});
