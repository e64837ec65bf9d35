import { readFileSync } from 'node:fs';
import { tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import {
  type GradientTransformation,
  adadelta,
  adagrad,
  adam,
  adamax,
  adamw,
  addDecayedWeights,
  chain,
  lion,
  nadam,
  radam,
  rmsprop,
  scale,
  scaleByAdadelta,
  scaleByAdam,
  scaleByAdamax,
  scaleByAmsgrad,
  scaleByLearningRate,
  scaleByLion,
  scaleByNadam,
  scaleByRadam,
  scaleByRms,
  scaleByStddev,
  sgd,
  traceMomentum,
} from '../src/index.js';
import { f64, maxDiff, trajectory, values } from './helpers.js';
import { type Problem, problemGradient } from './problem.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch_optim.json', import.meta.url), 'utf8'));
const start = (): Problem => ({ w: tensor(fixture.w0, { dtype: 'float64' }), M: tensor(fixture.M0, { dtype: 'float64' }) });
const run = (opt: GradientTransformation<any>) => trajectory(opt, start(), (p) => problemGradient(p, fixture.y, fixture.mu), 60).map(values);

describe('each preset is the chain of transforms its TSDoc names, bit for bit', () => {
  const lr = 0.01;
  const cases: [string, GradientTransformation<any>, GradientTransformation<any>][] = [
    ['sgd (maximize, decay, dampened momentum)', sgd({ lr, momentum: 0.9, dampening: 0.3, weightDecay: 0.01, maximize: true }), chain(scale(-1), addDecayedWeights({ weightDecay: 0.01 }), traceMomentum({ decay: 0.9, dampening: 0.3 }), scaleByLearningRate(lr))],
    ['adadelta', adadelta({ lr: 0.5, rho: 0.95 }), chain(addDecayedWeights({ weightDecay: 0 }), scaleByAdadelta({ rho: 0.95, eps: 1e-6 }), scaleByLearningRate(0.5))],
    ['rmsprop (centered, momentum)', rmsprop({ lr, centered: true, momentum: 0.5 }), chain(addDecayedWeights({ weightDecay: 0 }), scaleByStddev({ decay: 0.99, eps: 1e-8 }), traceMomentum({ decay: 0.5 }), scaleByLearningRate(lr))],
    ['rmsprop', rmsprop({ lr }), chain(addDecayedWeights({ weightDecay: 0 }), scaleByRms({ decay: 0.99, eps: 1e-8 }), scaleByLearningRate(lr))],
    ['adam', adam({ lr, weightDecay: 0.01 }), chain(addDecayedWeights({ weightDecay: 0.01 }), scaleByAdam(), scaleByLearningRate(lr))],
    ['adam (amsgrad)', adam({ lr, amsgrad: true }), chain(addDecayedWeights({ weightDecay: 0 }), scaleByAmsgrad(), scaleByLearningRate(lr))],
    ['adamw', adamw({ lr }), chain(scaleByAdam(), addDecayedWeights({ weightDecay: 0.01 }), scaleByLearningRate(lr))],
    ['nadam', nadam({ lr }), chain(addDecayedWeights({ weightDecay: 0 }), scaleByNadam(), scaleByLearningRate(lr))],
    ['radam', radam({ lr }), chain(addDecayedWeights({ weightDecay: 0 }), scaleByRadam(), scaleByLearningRate(lr))],
    ['adamax', adamax({ lr }), chain(addDecayedWeights({ weightDecay: 0 }), scaleByAdamax(), scaleByLearningRate(lr))],
    ['lion', lion({ lr, weightDecay: 0.1 }), chain(scaleByLion(), addDecayedWeights({ weightDecay: 0.1 }), scaleByLearningRate(lr))],
  ];
  for (const [name, preset, chained] of cases) it(name, () => expect(run(preset)).toEqual(run(chained)));

  it('adagrad: −lr/(1 + t·lrDecay) · g/(√(s₀ + Σg²) + eps), by hand for a constant gradient', () => {
    const opt = adagrad({ lr: 0.1, lrDecay: 0.5, initialAccumulatorValue: 3, eps: 1e-10 });
    const g = f64([2, -1]);
    const p = f64([0, 0]);
    let s = opt.init(p);
    for (let t = 0; t < 4; t++) {
      const r = opt.update(g, s, p);
      s = r.state;
      const want = values(g).map((x) => (-0.1 / (1 + t * 0.5)) * (x / (Math.sqrt(3 + (t + 1) * x * x) + 1e-10)));
      expect(maxDiff(values(r.updates), want)).toBeLessThan(1e-16);
    }
  });
});

describe('the scaling transforms, by hand', () => {
  const g = f64([2, -0.5, 0]);
  const first = (t: GradientTransformation<any>) => values(t.update(g, t.init(g)).updates);
  const gs = values(g);

  it('scaleByAdam and scaleByAmsgrad: the first step is g/(|g| + eps); amsgrad keeps the largest ν', () => {
    const want = gs.map((x) => x / (Math.abs(x) + 1e-8));
    expect(maxDiff(first(scaleByAdam()), want)).toBeLessThan(1e-15);
    expect(maxDiff(first(scaleByAmsgrad()), want)).toBeLessThan(1e-15);
    const ams = scaleByAmsgrad({ b1: 0, b2: 0.5, eps: 1e-8 });
    let s = ams.init(g);
    s = ams.update(f64([4, 4, 4]), s).state; // ν = 8, ν̃ = 8
    const r = ams.update(f64([1, 1, 1]), s); // ν = 4.5 < ν̃ = 8: divides by √8/√(1 − ¼)
    expect(maxDiff(values(r.updates), [1, 1, 1].map(() => 1 / (Math.sqrt(8) / Math.sqrt(0.75) + 1e-8)))).toBeLessThan(1e-15);
  });

  it('scaleByAdamax: (m/(1 − b1ᵗ))/max(b2·ν, |g| + eps)', () => {
    expect(maxDiff(first(scaleByAdamax()), gs.map((x) => x / (Math.abs(x) + 1e-8)))).toBeLessThan(1e-15);
  });

  it('scaleByStddev: the first step is g/(√(d(1 − d))·|g| + eps)', () => {
    expect(maxDiff(first(scaleByStddev({ decay: 0.9 })), gs.map((x) => x / (Math.sqrt(0.9 * 0.1) * Math.abs(x) + 1e-8)))).toBeLessThan(1e-14);
  });

  it('scaleByNadam: the first step is g/D + μ₂/(1 − μ₁²μ₂)·(1 − b1)g/D with D = |g| + eps', () => {
    const mu = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** (t * 4e-3));
    const c = mu(2) / (1 - mu(1) * mu(1) * mu(2));
    expect(maxDiff(first(scaleByNadam()), gs.map((x) => x / (Math.abs(x) + 1e-8) + (c * 0.1 * x) / (Math.abs(x) + 1e-8)))).toBeLessThan(1e-15);
  });

  it('scaleByRadam: m̂ while ρₜ ≤ 5 (the first 5 steps at b2 = 0.999), rectified after', () => {
    const opt = scaleByRadam();
    let s = opt.init(g);
    const outs: number[][] = [];
    for (let t = 0; t < 6; t++) {
      const r = opt.update(g, s);
      s = r.state;
      outs.push(values(r.updates));
    }
    for (let t = 0; t < 5; t++) expect(maxDiff(outs[t]!, gs)).toBeLessThan(1e-13);
    const rhoInf = 2 / 0.001 - 1;
    const rho6 = rhoInf - (2 * 6 * 0.999 ** 6) / (1 - 0.999 ** 6);
    const rect = Math.sqrt(((rho6 - 4) * (rho6 - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho6));
    const nu = 1 - 0.999 ** 6; // ν for a constant g is (1 − b2⁶)·g²
    expect(maxDiff(outs[5]!, gs.map((x) => (x * rect * Math.sqrt(1 - 0.999 ** 6)) / (Math.sqrt(nu) * Math.abs(x) + 1e-8)))).toBeLessThan(1e-13);
  });

  it('scaleByLion: sign(b1·μ + (1 − b1)·g); scale multiplies', () => {
    expect(first(scaleByLion())).toEqual([1, -1, 0]);
    expect(first(scale(-2))).toEqual([-4, 1, -0]);
  });

  it('traceMomentum starts at the first gradient and dampens later ones', () => {
    const opt = traceMomentum({ decay: 0.5, dampening: 0.25 });
    let s = opt.init(g);
    const a = opt.update(f64([4, 0, 0]), s);
    s = a.state;
    const b = opt.update(f64([8, 0, 0]), s);
    expect(values(a.updates)[0]).toBe(4);
    expect(values(b.updates)[0]).toBe(0.5 * 4 + 0.75 * 8);
    expect(() => traceMomentum({ decay: 0.9, nesterov: true, dampening: 0.1 })).toThrow(/traceMomentum: nesterov needs dampening = 0, got 0\.1/);
  });
});

describe('unknown option keys throw, naming the function and the key', () => {
  const cases: [string, () => unknown][] = [
    ['sgd', () => sgd({ lr: 0.1, momentun: 0.9 } as never)],
    ['adagrad', () => adagrad({ lr_decay: 0.1 } as never)],
    ['adadelta', () => adadelta({ beta: 0.9 } as never)],
    ['rmsprop', () => rmsprop({ decay: 0.9 } as never)],
    ['adam', () => adam({ beta1: 0.9 } as never)],
    ['adamw', () => adamw({ decoupled: true } as never)],
    ['nadam', () => nadam({ maximize: true } as never)],
    ['radam', () => radam({ maximize: true } as never)],
    ['adamax', () => adamax({ amsgrad: true } as never)],
    ['lion', () => lion({ eps: 1e-8 } as never)],
    ['scaleByAdam', () => scaleByAdam({ beta1: 0.9 } as never)],
    ['scaleByAmsgrad', () => scaleByAmsgrad({ amsgrad: true } as never)],
    ['scaleByNadam', () => scaleByNadam({ psi: 1 } as never)],
    ['scaleByRadam', () => scaleByRadam({ threshold: 5 } as never)],
    ['scaleByAdamax', () => scaleByAdamax({ beta2: 0.9 } as never)],
    ['scaleByLion', () => scaleByLion({ lr: 1 } as never)],
    ['scaleByStddev', () => scaleByStddev({ centered: true } as never)],
    ['scaleByRms', () => scaleByRms({ centered: true } as never)],
    ['scaleByAdadelta', () => scaleByAdadelta({ lr: 1 } as never)],
    ['traceMomentum', () => traceMomentum({ decay: 0.9, momentum: 0.9 } as never)],
  ];
  for (const [name, make] of cases) {
    it(name, () => expect(make).toThrow(new RegExp(`^${name}: unknown option "\\w+".*known options: `)));
  }

  it('new transforms check their values, naming them', () => {
    expect(() => scaleByAdam({ b1: 1 })).toThrow(/scaleByAdam: b1 must be a number in \[0, 1\), got 1/);
    expect(() => scaleByNadam({ momentumDecay: -1 })).toThrow(/scaleByNadam: momentumDecay must be a finite number ≥ 0, got -1/);
    expect(() => scaleByAdamax({ eps: 0 })).toThrow(/scaleByAdamax: eps must be a finite number > 0, got 0/);
    expect(() => scale(Number.NaN)).toThrow(/scale: factor must be a finite number, got NaN/);
    expect(() => sgd({ maximize: 1 } as never)).toThrow(/sgd: maximize must be a boolean \(true or false\), got 1/);
  });
});
