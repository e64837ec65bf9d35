import type { Tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { hvp, valueAndGrad, vhp } from '../src/index.js';
import { type Packed, type Recording, convLoss, fixture, mlpLoss, unpackAll } from './torch-fixture.js';

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
  const params = unpackAll(r.params, 'float64');
  const v = unpackAll(r.v, 'float64');
  const [value, grads] = valueAndGrad(loss)(params) as [Tensor, Record<string, Tensor>];
  expect(Math.abs(value.item() - r.loss)).toBeLessThan(1e-12);
  expectClose(grads, r.grad);
  expectClose(hvp(loss, params, v), r.hvp);
  expectClose(vhp(loss, params, v), r.hvp);
}

describe('matches PyTorch 1.13 (float64) to 1e-10', () => {
  it('tanh MLP with softmax cross-entropy: loss, gradient, HVP (forward-over-reverse and reverse-over-reverse)', () => {
    check(fixture.mlp, mlpLoss(fixture.mlp, 'float64'));
  });

  it('conv2d (dilation, padding, stride, groups) + ReLU net: loss, gradient, HVP', () => {
    check(fixture.conv, convLoss(fixture.conv, 'float64'));
  });
});
