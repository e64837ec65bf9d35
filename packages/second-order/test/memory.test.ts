import '@ddopt/tensor/wasm';
import { disposeReplaced } from '@ddopt/optimizers';
import { type Tensor, add, initBackend, matmul, mean, mul, numTensors, square, sub, tanh, tensor, withBackend } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { type SecondOrderMethod, adahessian, gaussNewton, hessianEigenvalues, hessianOperator, lbfgs, lissa, newtonCg, splitLoss, sqgn } from '../src/index.js';

type P = { w1: Tensor; w2: Tensor };

describe('on a tfjs backend (wasm, float32) steps and products keep the tensor count flat', () => {
  it('every method, with disposeReplaced of the previous params and state; spectra and operator products', async () => {
    await initBackend('wasm');
    withBackend('wasm', () => {
      const x = tensor([[0, 1], [1, 0], [1, 1], [-1, 0.5]], { backend: 'wasm' });
      const y = tensor([[1], [-1], [0.5], [0]], { backend: 'wasm' });
      const f = splitLoss(
        (p: P) => matmul(tanh(matmul(x, p.w1)), p.w2),
        (o: Tensor) => mul(mean(square(sub(o, y))), 0.5),
      );
      const init = (): P => ({ w1: tensor([[0.5, -0.3, 0.8], [0.1, 0.7, -0.6]], { backend: 'wasm' }), w2: tensor([[0.4], [-0.2], [0.9]], { backend: 'wasm' }) });
      const methods: SecondOrderMethod<any>[] = [
        lbfgs({ maxIter: 3, lineSearch: 'strongWolfe' }),
        newtonCg({ cgMaxIter: 5 }),
        gaussNewton({ cgMaxIter: 5 }),
        lissa({ depth: 3, scale: 10 }),
        adahessian({ lr: 0.05 }),
        sqgn({ lr: 0.1, updateEvery: 2, fullLoss: f }),
      ];
      for (const opt of methods) {
        let params = init();
        let state = opt.init(params);
        const counts: number[] = [];
        for (let t = 0; t < 8; t++) {
          const next = opt.step(f, params, state);
          disposeReplaced({ params, state }, { params: next.params, state: next.state });
          params = next.params as P;
          state = next.state;
          counts.push(numTensors());
        }
        expect(new Set(counts.slice(2)).size, opt.name).toBe(1);
        // a step that throws frees what it made
        const before = numTensors();
        expect(() => opt.step((q: P) => add(q.w1, 1), params, state)).toThrow(/must return a scalar/);
        expect(numTensors(), `${opt.name} after a throw`).toBe(before);
        disposeReplaced({ params, state }, {});
      }
      const p = init();
      const before = numTensors();
      const op = hessianOperator(f, p);
      const v = op.apply(p);
      for (let i = 0; i < 5; i++) disposeReplaced(op.apply(p), {});
      disposeReplaced(hessianEigenvalues(f, p, { k: 2, method: 'lanczos' }).eigenvectors, {});
      disposeReplaced(v, {});
      expect(numTensors()).toBe(before);
    });
  });
});
