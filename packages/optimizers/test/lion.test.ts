import { describe, expect, it } from 'vitest';
import { applyUpdates, lion } from '../src/index.js';
import { f64, values } from './helpers.js';

describe('lion (not in torch 1.13) against its update rule written out in plain JS', () => {
  it('sign of the interpolated momentum, decoupled decay, then the β₂ average', () => {
    const lr = 0.01;
    const [b1, b2] = [0.9, 0.99];
    const wd = 0.1;
    const grad = (x: number[]) => x.map((v, i) => Math.sin(3 * v) + (i - 1) * v ** 3);
    let x = [0.7, -1.3, 2.1];
    let m = [0, 0, 0];
    const opt = lion({ lr, betas: [b1, b2], weightDecay: wd });
    let p = f64(x);
    let s = opt.init(p);
    for (let t = 0; t < 50; t++) {
      const g = grad(x);
      x = x.map((v, i) => v * (1 - lr * wd) - lr * Math.sign(b1 * m[i]! + (1 - b1) * g[i]!));
      m = m.map((v, i) => b2 * v + (1 - b2) * g[i]!);
      const r = opt.update(f64(grad(values(p))), s, p);
      s = r.state;
      p = applyUpdates(p, r.updates);
      values(p).forEach((v, i) => {
        expect(v).toBeCloseTo(x[i]!, 13);
      });
    }
    expect(() => lion({ betas: [0.9, 1] })).toThrow(/lion: betas\[1\] must be a number in \[0, 1\), got 1/);
  });
});
