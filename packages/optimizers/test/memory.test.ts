import '@ddopt/tensor/wasm';
import { type Tensor, initBackend, mul, numTensors, sub, tensor, tidy, withBackend } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { adam, applyIfFinite, applyUpdates, chain, clipByGlobalNorm, disposeReplaced, rmsprop, scaleByLearningRate, traceMomentum } from '../src/index.js';

describe('on a tfjs backend (wasm) a tidy step plus disposeReplaced keeps the tensor count flat', () => {
  it('adam, rmsprop (centered, momentum) and a chain with applyIfFinite', async () => {
    await initBackend('wasm');
    withBackend('wasm', () => {
      const target = tensor([1, -2, 3, 0.5], { backend: 'wasm' });
      for (const opt of [adam({ lr: 0.05 }), rmsprop({ lr: 0.01, centered: true, momentum: 0.5 }), applyIfFinite(chain(clipByGlobalNorm(1), traceMomentum({ decay: 0.9 }), scaleByLearningRate(0.05)))]) {
        let params: { w: Tensor } = { w: tensor([0, 0, 0, 0], { backend: 'wasm' }) };
        let state: unknown = opt.init(params);
        const counts: number[] = [];
        for (let t = 0; t < 30; t++) {
          const next = tidy(() => {
            const bad = t % 7 === 3; // some NaN gradients, skipped by applyIfFinite where present
            const g = { w: bad ? mul(sub(params.w, target), Number.NaN) : mul(sub(params.w, target), 2) };
            const r = opt.update(g, state as never, params);
            return { params: applyUpdates(params, r.updates), state: r.state };
          });
          disposeReplaced({ params, state }, next);
          params = next.params;
          state = next.state;
          counts.push(numTensors());
        }
        expect(new Set(counts.slice(1)).size).toBe(1);
        disposeReplaced({ params, state }, {});
      }
    });
  });
});
