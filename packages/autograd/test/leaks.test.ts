// Issue #12's leak paths on wasm: a derivative transformation whose function throws must free
// everything it made (its tape included), so a training loop that skips bad batches by catching
// errors keeps numTensors() flat.
import '@ddopt/tensor/wasm';
import { type Tensor, mul, numTensors, setBackend, sum, tanh, tensor } from '@ddopt/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGrad, grad, hvp, jvp, linearize, valueAndGrad, vhp, vjp } from '../src/index.js';

beforeAll(async () => {
  await setBackend('wasm');
});

// Makes several tensors on the tape, then fails (a bad batch).
const failing = (t: Tensor): Tensor => {
  sum(mul(tanh(t), t));
  throw new Error('bad batch');
};

describe('transformations free what they made when f throws (wasm)', () => {
  // Made when a test runs, after beforeAll switched to wasm.
  const xs: Tensor[] = [];
  const x0 = () => (xs[0] ??= tensor([0.1, 0.2, 0.3]));
  const calls: [string, () => unknown][] = [
    ['grad', () => grad(failing)(x0())],
    ['valueAndGrad', () => valueAndGrad(failing)(x0())],
    ['vjp', () => vjp(failing, x0())],
    ['linearize', () => linearize(failing, x0())],
    ['jvp', () => jvp(failing, [x0()], [x0()])],
    ['hvp', () => hvp(failing, x0(), x0())],
    ['vhp', () => vhp(failing, x0(), x0())],
    ['checkGrad', () => checkGrad(failing, x0())],
  ];
  for (const [name, call] of calls) {
    it(`${name}: numTensors is unchanged after 5 failed calls`, () => {
      expect(x0().backend).toBe('wasm');
      expect(call).toThrow('bad batch');
      const before = numTensors();
      for (let i = 0; i < 5; i++) expect(call).toThrow('bad batch');
      expect(numTensors()).toBe(before);
    });
  }

  it('a vjp that succeeds keeps its tape alive for the pullback', () => {
    const before = numTensors();
    const [out, pullback] = vjp((t: Tensor) => sum(mul(tanh(t), t)), x0());
    const [g] = pullback(tensor(1)) as [Tensor];
    expect(g.shape).toEqual([3]);
    expect(out.backend).toBe('wasm');
    expect(numTensors()).toBeGreaterThan(before);
  });
});
