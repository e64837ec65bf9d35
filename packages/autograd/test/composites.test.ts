import {
  type Tensor,
  add,
  avgPool2d,
  conv2d,
  div,
  logSoftmax,
  matmul,
  maxPool2d,
  mul,
  neg,
  oneHot,
  prng,
  randn,
  relu,
  reshape,
  splitKey,
  sum,
  tanh,
  tensor,
} from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { type CheckResult, checkGrad, checkHvp, customVjp } from '../src/index.js';

type Key = ReturnType<typeof prng>;
const keys = (seed: number, n: number) => splitKey(prng(seed), n) as Key[];
const normal = (k: Key, shape: number[], scale = 1) => mul(randn(k, shape, { dtype: 'float64' }), scale);

function crossEntropy(logits: Tensor, labels: number[]): Tensor {
  const hot = oneHot(tensor(labels, { dtype: 'int32' }), logits.shape[1]!, 'float64');
  return div(neg(sum(mul(hot, logSoftmax(logits)))), labels.length);
}

function expectOk(r: CheckResult): void {
  expect(r, JSON.stringify(r.worst)).toMatchObject({ ok: true });
}

/** A direction pytree like `params`, from `seed`. */
function direction<P extends Record<string, Tensor>>(params: P, seed: number): P {
  const ks = keys(seed, Object.keys(params).length);
  return Object.fromEntries(Object.entries(params).map(([n, p], i) => [n, normal(ks[i]!, [...p.shape])])) as P;
}

describe('composites against float64 finite differences (gradient and HVP)', () => {
  it('softmax cross-entropy', () => {
    const [k] = keys(1, 1);
    const loss = (p: { logits: Tensor }) => crossEntropy(p.logits, [0, 3, 1, 4]);
    const params = { logits: normal(k!, [4, 5]) };
    expectOk(checkGrad(loss, params, { rtol: 1e-6, atol: 1e-9 }));
    expectOk(checkHvp(loss, params, direction(params, 2), { rtol: 1e-5, atol: 1e-8 }));
  });

  it('an MLP (tanh and ReLU) with cross-entropy', () => {
    const [k1, k2, k3, k4, kx] = keys(3, 5);
    const x = normal(kx!, [5, 4]);
    const params = { w1: normal(k1!, [4, 6], 0.7), b1: normal(k2!, [6], 0.1), w2: normal(k3!, [6, 3], 0.7), b2: normal(k4!, [3], 0.1) };
    const loss = (p: typeof params) => crossEntropy(add(matmul(relu(tanh(add(matmul(x, p.w1), p.b1))), p.w2), p.b2), [2, 0, 1, 1, 0]);
    expectOk(checkGrad(loss, params, { rtol: 1e-6, atol: 1e-9 }));
    expectOk(checkHvp(loss, params, direction(params, 4), { rtol: 1e-5, atol: 1e-8 }));
  });

  it('a small conv net with max and average pools', () => {
    const [k1, k2, k3, kx] = keys(5, 4);
    const x = normal(kx!, [2, 2, 6, 6]);
    const params = { c1: normal(k1!, [3, 2, 3, 3], 0.4), c2: normal(k2!, [4, 3, 2, 2], 0.4), fc: normal(k3!, [4, 3], 0.4) };
    const loss = (p: typeof params) => {
      let h = maxPool2d(tanh(conv2d(x, p.c1, { padding: 1 })), { kernelSize: 2 }); // [2,3,3,3]
      h = avgPool2d(tanh(conv2d(h, p.c2, { padding: 1 })), { kernelSize: 2 }); // [2,4,2,2]
      return crossEntropy(matmul(reshape(sum(h, { axis: [2, 3] }), [2, 4]), p.fc), [1, 2]);
    };
    expectOk(checkGrad(loss, params, { rtol: 1e-6, atol: 1e-9 }));
    expectOk(checkHvp(loss, params, direction(params, 6), { rtol: 1e-5, atol: 1e-8 }));
  });

  it('checkGrad catches a wrong gradient and names the leaf', () => {
    const wrong = customVjp(
      (x: Tensor) => mul(x, x),
      (x: Tensor) => [mul(x, x), x] as [Tensor, Tensor],
      (x: Tensor, g: Tensor) => [mul(g, mul(x, 2.01))],
    );
    const r = checkGrad((p: { a: Tensor; b: Tensor }) => add(sum(p.a), sum(wrong(p.b))), { a: tensor([1, 2], { dtype: 'float64' }), b: tensor([3, 4], { dtype: 'float64' }) });
    expect(r.ok).toBe(false);
    expect(r.worst).toMatchObject({ path: 'params.b', index: 1 });
    expect(r.worst!.analytic).toBeCloseTo(8.04, 10);
    expect(r.worst!.numeric).toBeCloseTo(8, 6);
  });
});
