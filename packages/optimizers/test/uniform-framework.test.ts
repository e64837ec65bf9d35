import { readFileSync } from 'node:fs';
import { add, mul, sqrt, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import {
  adadelta,
  adagrad,
  adam,
  demonDecay,
  rmsprop,
  seedAdadelta,
  seedAdagrad,
  seedAdam,
  seedDemon,
  seedNadam,
  seedNag,
  seedQhm,
  seedRmsprop,
  seedSgd,
  seedSgdm,
  sgd,
  uniformFramework,
} from '../src/index.js';
import { f64, maxDiff, trajectory, values } from './helpers.js';
import { type Problem, problemGradient } from './problem.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch_optim.json', import.meta.url), 'utf8'));
const start = (): Problem => ({ w: tensor(fixture.w0, { dtype: 'float64' }), M: tensor(fixture.M0, { dtype: 'float64' }) });
const grad = (p: Problem) => problemGradient(p, fixture.y, fixture.mu);
const run = (opt: Parameters<typeof trajectory>[0], steps = 100) => trajectory(opt, start(), grad, steps).map(values);
const worst = (a: number[][], b: number[][]) => Math.max(...a.map((x, i) => maxDiff(x, b[i]!)));

describe('uniform-framework forms equal the direct forms where they coincide', () => {
  it('SGD: ζ = w, m = g, V = I is torch SGD, bit for bit', () => {
    expect(run(seedSgd({ lr: 0.05 }))).toEqual(run(sgd({ lr: 0.05 })));
  });

  it('SGDM with m₁ = g₁ is torch SGD with dampening = momentum, bit for bit', () => {
    expect(run(seedSgdm({ lr: 0.05, beta1: 0.9, init: 'firstGradient' }))).toEqual(run(sgd({ lr: 0.05, momentum: 0.9, dampening: 0.9 })));
  });

  it("SGDM with m₀ = 0 (the report's φ) differs from torch's buffer by exactly β^t·g₁", () => {
    // Same gradient sequence fed to both (no feedback), so the moments can be compared directly.
    const beta = 0.8;
    const gs = [f64([1, -2]), f64([0.5, 3]), f64([-1, 1]), f64([2, 0.25]), f64([0, -1])];
    const uni = seedSgdm({ lr: 1, beta1: beta });
    const tor = sgd({ lr: 1, momentum: beta, dampening: beta });
    const p = f64([0, 0]);
    let su = uni.init(p);
    let st = tor.init(p);
    gs.forEach((g, t) => {
      const ru = uni.update(g, su, p);
      const rt = tor.update(g, st, p);
      su = ru.state;
      st = rt.state;
      const expected = values(mul(gs[0]!, beta ** (t + 1)));
      const gap = values(ru.updates).map((x, i) => x - values(rt.updates)[i]!);
      expect(maxDiff(gap, expected)).toBeLessThan(1e-14);
    });
  });

  it('AdaGrad: V = Σg² is torch Adagrad (eps after the root)', () => {
    expect(worst(run(seedAdagrad({ lr: 0.1, eps: 1e-10 })), run(adagrad({ lr: 0.1, eps: 1e-10 })))).toBeLessThan(1e-13);
  });

  it('RMSProp: V = EMA of g² is torch RMSprop (alpha = β₂)', () => {
    expect(worst(run(seedRmsprop({ lr: 0.01, beta2: 0.99, eps: 1e-8 })), run(rmsprop({ lr: 0.01, alpha: 0.99, eps: 1e-8 })))).toBeLessThan(1e-12);
  });

  it('Adam: bias-corrected EMAs are torch Adam (eps after the corrected root)', () => {
    expect(worst(run(seedAdam({ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 })), run(adam({ lr: 0.01 })))).toBeLessThan(1e-12);
  });

  it('QHM is SGD at ν = 0 and SGDM at ν = 1', () => {
    expect(worst(run(seedQhm({ lr: 0.05, beta1: 0.9, nu: 0 })), run(seedSgd({ lr: 0.05 })))).toBe(0);
    expect(worst(run(seedQhm({ lr: 0.05, beta1: 0.9, nu: 1 })), run(seedSgdm({ lr: 0.05, beta1: 0.9 })))).toBe(0);
  });

  it('DEMON is SGDM with the decaying β₁ schedule', () => {
    const T = 100;
    const beta = demonDecay({ betaInit: 0.9, totalSteps: T });
    expect(beta(0)).toBeCloseTo(0.9, 15);
    expect(beta(T / 2)).toBeCloseTo((0.9 * 0.5) / (0.1 + 0.9 * 0.5), 15);
    expect(beta(T)).toBe(0);
    const demon = run(seedDemon({ lr: 0.05, beta1: 0.9, totalSteps: T }));
    const sgdm = run(seedSgdm({ lr: 0.05, beta1: 0.9 }));
    expect(maxDiff(demon[0]!, sgdm[0]!)).toBe(0); // β₀ = β₁ on the first step
    expect(maxDiff(demon[99]!, sgdm[99]!)).toBeGreaterThan(1e-3);
  });
});

describe('and differ where the report says they differ', () => {
  it("the report's AdaDelta is RMSProp's form, not torch's (Zeiler's Δx accumulator)", () => {
    const a = run(seedAdadelta({ lr: 0.01, beta2: 0.9 }));
    expect(worst(a, run(seedRmsprop({ lr: 0.01, beta2: 0.9 })))).toBe(0);
    expect(worst(a, run(adadelta({ lr: 1, rho: 0.9 })))).toBeGreaterThan(1e-2);
  });

  it('SGD-NAG takes the gradient at ζ = w − α·mₜ₋₁, and so leaves SGDM and torch Nesterov', () => {
    const nag = seedNag({ lr: 0.05, beta1: 0.9 });
    const p = start();
    let state = nag.init(p);
    let params = p;
    for (let t = 0; t < 3; t++) {
      const z = nag.evalPoint!(params, state) as Problem;
      const m = (state.m as Problem).w;
      expect(maxDiff(values(z.w), values(add(params.w, mul(m, -0.05))))).toBe(0);
      const r = nag.update(grad(z), state, params);
      state = r.state;
      params = { w: add(params.w, (r.updates as Problem).w), M: add(params.M, (r.updates as Problem).M) };
    }
    const nagRun = run(seedNag({ lr: 0.05, beta1: 0.9 }));
    expect(worst(nagRun, run(seedSgdm({ lr: 0.05, beta1: 0.9 })))).toBeGreaterThan(1e-3);
    expect(worst(nagRun, run(sgd({ lr: 0.05, momentum: 0.9, nesterov: true })))).toBeGreaterThan(1e-3);
  });

  it('NAdam takes the gradient at w − α·m̂/(√V̂ + eps) (report §3.3 with √V), or at m/V literally', () => {
    for (const power of [0.5, 1] as const) {
      const opt = seedNadam({ lr: 0.01, lookaheadPower: power });
      let params = start();
      let state = opt.init(params);
      for (let t = 0; t < 3; t++) {
        const r = opt.update(grad(opt.evalPoint!(params, state) as Problem), state, params);
        state = r.state;
        params = { w: add(params.w, (r.updates as Problem).w), M: add(params.M, (r.updates as Problem).M) };
      }
      const m = (state.m as Problem).w;
      const v = (state.v as Problem).w;
      const denom = add(power === 1 ? v : sqrt(v), 1e-8);
      const z = opt.evalPoint!(params, state) as Problem;
      const want = values(params.w).map((w, i) => w - (0.01 * values(m)[i]!) / values(denom)[i]!);
      expect(maxDiff(values(z.w), want)).toBeLessThan(1e-15);
    }
    expect(worst(run(seedNadam({ lr: 0.01 })), run(seedAdam({ lr: 0.01 })))).toBeGreaterThan(1e-4);
  });
});

describe('uniformFramework refuses malformed pieces', () => {
  it('names the piece and the value', () => {
    expect(() => seedSgd({ lr: -1 })).toThrow(/^seedSgd: lr must be a finite number ≥ 0 or a function, got -1/);
    expect(() => uniformFramework({ firstMoment: 0.9 as never, lr: 0.1 })).toThrow(/^uniformFramework: firstMoment must be a GradientTransformation .*got 0\.9/);
    expect(() => seedSgdm({ lr: 0.1, beta1: 1 })).toThrow(/^seedSgdm: beta1 must be a number in \[0, 1\), got 1/);
    expect(() => seedQhm({ lr: 0.1, nu: 2 })).toThrow(/^seedQhm: nu must be a number in \[0, 1\], got 2/);
    expect(() => seedDemon({ lr: 0.1, totalSteps: 0 })).toThrow(/^seedDemon: totalSteps must be an integer ≥ 1, got 0/);
    expect(() => uniformFramework({ firstMoment: seedSgd({ lr: 1 }), lr: 0.1, beta: 0.9 } as never)).toThrow(/^uniformFramework: unknown option "beta"/);
    expect(() => seedAdam({ lr: 0.1, betas: [0.9, 0.99] } as never)).toThrow(/^seedAdam: unknown option "betas" \(did you mean "beta1"\?\); known options: lr, beta1, beta2, eps/);
  });
});
