import '@ddopt/tensor/wasm';
import { type Tensor, initBackend, mul, numTensors, sub, sum, tensor, tidy, withBackend } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { adam, applyIfFinite, applyUpdates, chain, clipByGlobalNorm, disposeReplaced, fit, rmsprop, scaleByLearningRate, seedNag, traceMomentum, trainStep } from '../src/index.js';

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

describe('on wasm, trainStep and fit keep the tensor count flat, also when the loss throws', () => {
  it('a trainStep loop with shared, protected initial params (adam, centered rmsprop, a look-ahead form)', async () => {
    await initBackend('wasm');
    withBackend('wasm', () => {
      const target = tensor([1, -2, 3, 0.5], { backend: 'wasm' });
      const init = { w: tensor([0, 0, 0, 0], { backend: 'wasm' }) };
      const protect = new Set([init.w]);
      const loss = (p: { w: Tensor }) => {
        const d = sub(p.w, target);
        return sum(mul(d, d));
      };
      const failing = (p: { w: Tensor }) => {
        sum(mul(sub(p.w, target), 2)); // tensors made before the throw
        throw new Error('loss failed');
      };
      for (const opt of [adam({ lr: 0.05 }), rmsprop({ lr: 0.01, centered: true, momentum: 0.5 }), seedNag({ lr: 0.05 })]) {
        let cur = { params: init, state: opt.init(init) as unknown };
        const counts: number[] = [];
        for (let t = 0; t < 30; t++) {
          if (t % 7 === 3) {
            const before = numTensors();
            expect(() => trainStep(failing, opt as never, cur, { protect })).toThrow('loss failed');
            expect(numTensors()).toBe(before);
          }
          cur = trainStep(loss, opt as never, cur, { protect });
          counts.push(numTensors());
        }
        expect(new Set(counts.slice(1)).size).toBe(1);
        expect(cur.params.w.dataSync()[0]).toBeGreaterThan(0.5);
        disposeReplaced(cur, {}, protect);
      }
      expect(Array.from(init.w.dataSync())).toEqual([0, 0, 0, 0]);
    });
  });

  it('fit leaves nothing behind when a step throws (at the first step or later), nor when it ends', async () => {
    await initBackend('wasm');
    withBackend('wasm', () => {
      const target = tensor([1, -2, 3, 0.5], { backend: 'wasm' });
      const init = { w: tensor([0, 0, 0, 0], { backend: 'wasm' }) };
      const protect = new Set([init.w]);
      const loss = (p: { w: Tensor }, step: number) => {
        const d = sub(p.w, target);
        if (step === failAt) throw new Error(`step ${step} failed`);
        return sum(mul(d, d));
      };
      let failAt = 0;
      const base = numTensors();
      for (failAt of [0, 5]) {
        expect(() => fit(loss, adam({ lr: 0.05 }), init, { steps: 10, protect })).toThrow(`step ${failAt} failed`);
        expect(numTensors()).toBe(base);
      }
      failAt = -1;
      const r = fit(loss, adam({ lr: 0.05 }), init, { steps: 10, protect });
      expect(r.losses[9]).toBeLessThan(r.losses[0]!);
      disposeReplaced(r, {}, protect);
      expect(numTensors()).toBe(base);
    });
  });
});
