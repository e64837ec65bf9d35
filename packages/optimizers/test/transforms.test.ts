import { readFileSync } from 'node:fs';
import { type Tensor, add, mul, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import {
  adadelta,
  adagrad,
  addDecayedWeights,
  chain,
  clipByValue,
  clipByGlobalNorm,
  emaMoment,
  evalPoint,
  injectHyperparams,
  masked,
  multiSteps,
  rmsprop,
  scaleByAccumulatedSquares,
  scaleByAdadelta,
  scaleByLearningRate,
  scaleByRms,
  seedNag,
  sgd,
  traceMomentum,
} from '../src/index.js';
import { f64, maxDiff, trajectory, values } from './helpers.js';
import { type Problem, problemGradient } from './problem.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch_optim.json', import.meta.url), 'utf8'));
const start = (): Problem => ({ w: tensor(fixture.w0, { dtype: 'float64' }), M: tensor(fixture.M0, { dtype: 'float64' }) });
const grad = (p: Problem) => problemGradient(p, fixture.y, fixture.mu);
const run = (opt: Parameters<typeof trajectory>[0]) => trajectory(opt, start(), grad, 100).map(values);
const worst = (a: number[][], b: number[][]) => Math.max(...a.map((x, i) => maxDiff(x, b[i]!)));

describe('building blocks chained reproduce the presets', () => {
  it('addDecayedWeights → traceMomentum → scaleByLearningRate is torch SGD (momentum, weight decay, Nesterov), bit for bit', () => {
    for (const nesterov of [false, true]) {
      const chained = chain(addDecayedWeights({ weightDecay: 0.01 }), traceMomentum({ decay: 0.9, nesterov }), scaleByLearningRate(0.02));
      expect(run(chained)).toEqual(run(sgd({ lr: 0.02, momentum: 0.9, weightDecay: 0.01, nesterov })));
    }
  });

  it('scaleByAccumulatedSquares → scaleByLearningRate is Adagrad', () => {
    expect(worst(run(chain(scaleByAccumulatedSquares({ eps: 1e-10 }), scaleByLearningRate(0.1))), run(adagrad({ lr: 0.1 })))).toBeLessThan(1e-13);
  });

  it('scaleByRms → scaleByLearningRate is RMSprop', () => {
    expect(worst(run(chain(scaleByRms({ decay: 0.99, eps: 1e-8 }), scaleByLearningRate(0.01))), run(rmsprop({ lr: 0.01 })))).toBeLessThan(1e-12);
  });

  it('scaleByAdadelta → scaleByLearningRate(1) is Adadelta', () => {
    expect(worst(run(chain(scaleByAdadelta({ rho: 0.9, eps: 1e-6 }), scaleByLearningRate(1))), run(adadelta({ lr: 1 })))).toBeLessThan(1e-12);
  });

  it("a chain's evalPoint is its member's look-ahead", () => {
    const nag = seedNag({ lr: 0.05 });
    const c = chain(clipByValue(100), nag);
    let state = c.init(start());
    const p = start();
    state = c.update(grad(p), state, p).state;
    expect(values(evalPoint(c, p, state))).toEqual(values(nag.evalPoint!(p, state[1] as never)));
  });
});

describe('single transforms', () => {
  it('emaMoment with debias returns a constant input exactly-ish, and 1 − βᵗ without', () => {
    const ema = emaMoment({ decay: 0.9, debias: true });
    const raw = emaMoment({ decay: 0.9 });
    const g = f64([2, -4]);
    let s = ema.init(g);
    let r = raw.init(g);
    for (let t = 1; t <= 20; t++) {
      const a = ema.update(g, s);
      const b = raw.update(g, r);
      s = a.state;
      r = b.state;
      expect(maxDiff(values(a.updates), [2, -4])).toBeLessThan(1e-14);
      expect(maxDiff(values(b.updates), [2 * (1 - 0.9 ** t), -4 * (1 - 0.9 ** t)])).toBeLessThan(1e-14);
    }
  });

  it('clipByValue and clipByGlobalNorm', () => {
    expect(values(clipByValue(1).update(f64([-3, 0.5, 2]), {}).updates)).toEqual([-1, 0.5, 1]);
    const tree = { a: f64([3, 0]), b: f64([[0, 4]]) }; // global norm 5
    const r = clipByGlobalNorm(1).update(tree, {});
    expect(maxDiff(values(r.updates), [0.6, 0, 0, 0.8])).toBeLessThan(1e-15);
    expect(clipByGlobalNorm(10).update(tree, {}).updates).toBe(tree);
  });

  it('masked applies the inner transform only where the mask is true', () => {
    const opt = masked(scaleByLearningRate(0.5), { w: true, M: false });
    const p = start();
    const g = grad(p);
    const r = opt.update(g, opt.init(p), p);
    const u = r.updates as Problem;
    expect(values(u.w)).toEqual(values(mul(g.w, -0.5)));
    expect(u.M).toBe(g.M);
    expect(() => masked(scaleByLearningRate(1), { w: 1, M: false }).init(p)).toThrow(/masked: mask.w must be a boolean/);
  });

  it('multiSteps averages everyK gradients and steps once', () => {
    const opt = multiSteps(sgd({ lr: 0.1, momentum: 0.5 }), { everyK: 3 });
    const p = f64([0, 0]);
    let s = opt.init(p);
    const gs = [f64([1, 2]), f64([3, -2]), f64([2, 3])];
    const outs = gs.map((g) => {
      const r = opt.update(g, s, p);
      s = r.state;
      return values(r.updates);
    });
    expect(outs[0]).toEqual([0, 0]);
    expect(outs[1]).toEqual([0, 0]);
    expect(maxDiff(outs[2]!, [-0.2, -0.1])).toBeLessThan(1e-15);
    expect(s.miniStep).toBe(0);
    expect(() => multiSteps(sgd(), { everyK: 0 })).toThrow(/multiSteps: everyK must be an integer ≥ 1, got 0/);
  });

  it('injectHyperparams records the scheduled values and lets the state override them', () => {
    const opt = injectHyperparams((h) => sgd({ lr: h.lr }), { lr: (t: number) => 1 / (t + 1) });
    const p = f64([0]);
    let s = opt.init(p);
    expect(s.hyperparams.lr).toBe(1);
    let r = opt.update(f64([1]), s, p);
    expect(values(r.updates)).toEqual([-1]);
    s = r.state;
    expect(s.hyperparams.lr).toBe(0.5);
    s = { ...s, hyperparams: { lr: 0.125 } };
    r = opt.update(f64([1]), s, p);
    expect(values(r.updates)).toEqual([-0.125]);
  });
});

describe('wrappers keep the inner look-ahead', () => {
  it('masked moves only the selected leaves to the look-ahead point; multiSteps and applyIfFinite pass it through', () => {
    const p = start();
    const nag = seedNag({ lr: 0.05 });
    const m = masked(seedNag({ lr: 0.05 }), { w: true, M: false });
    let sm = m.init(p);
    let sn = nag.init({ w: p.w });
    for (let t = 0; t < 2; t++) {
      const g = grad(p);
      sm = m.update(g, sm, p).state;
      sn = nag.update({ w: g.w }, sn, { w: p.w }).state;
    }
    const z = m.evalPoint!(p, sm) as Problem;
    expect(values(z.w)).toEqual(values((nag.evalPoint!({ w: p.w }, sn) as { w: Tensor }).w));
    expect(z.M).toBe(p.M);
    const ms = multiSteps(seedNag({ lr: 0.05 }), { everyK: 2 });
    let ss = ms.init(p);
    for (let t = 0; t < 2; t++) ss = ms.update(grad(p), ss, p).state;
    const mw = ((ss.inner as { m: Problem }).m).w;
    expect(Math.max(...values(mw).map(Math.abs))).toBeGreaterThan(0);
    expect(values((ms.evalPoint!(p, ss) as Problem).w)).toEqual(values(add(p.w, mul(mw, -0.05))));
  });
});
