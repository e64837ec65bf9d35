import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Schedule,
  constant,
  cosineDecay,
  exponentialDecay,
  linear,
  oneCycle,
  piecewiseConstant,
  polynomial,
  reduceOnPlateau,
  sgdr,
  stepDecay,
  warmupCosine,
} from '../src/index.js';
import { f64, values } from './helpers.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch_optim.json', import.meta.url), 'utf8')) as {
  schedules: Record<string, number[]>;
  plateau: { losses: number[]; lrs: number[]; options: Record<string, number> };
};

// The same schedules as the torch schedulers the recording script steps (base lr 0.1).
const ours: Record<string, { schedule: Schedule; steps?: number }> = {
  stepDecay: { schedule: stepDecay({ init: 0.1, stepSize: 10, gamma: 0.5 }) },
  piecewiseConstant: { schedule: piecewiseConstant({ init: 0.1, boundariesAndScales: { 30: 0.1, 50: 0.1 } }) },
  exponentialDecay: { schedule: exponentialDecay({ init: 0.1, decayRate: 0.95 }) },
  // torch's CosineAnnealingLR keeps oscillating past T_max; ours stays at the floor, so compare up to T_max.
  cosineDecay: { schedule: cosineDecay({ init: 0.1, decaySteps: 40, alpha: 0.01 }), steps: 41 },
  oneCycle: { schedule: oneCycle({ maxLr: 0.1, totalSteps: 100, pctStart: 0.3 }) },
  sgdr: { schedule: sgdr({ init: 0.1, period: 10, tMult: 2, min: 0.001 }) },
  polynomial: { schedule: polynomial({ init: 0.1, end: 0, power: 2, transitionSteps: 50 }) },
  linear: { schedule: linear({ init: 0.025, end: 0.1, transitionSteps: 20 }) },
};

describe('schedules match torch.optim.lr_scheduler (recorded) to 1e-12 relative', () => {
  for (const [name, { schedule, steps }] of Object.entries(ours)) {
    it(name, () => {
      const torchLrs = fixture.schedules[name]!.slice(0, steps);
      for (const [t, lr] of torchLrs.entries()) expect(Math.abs(schedule(t) - lr)).toBeLessThanOrEqual(1e-12 * Math.max(lr, 1e-3));
    });
  }

  it('reduceOnPlateau follows ReduceLROnPlateau on a loss sequence that stalls twice', () => {
    const opt = reduceOnPlateau(fixture.plateau.options);
    const p = f64([1]);
    let state = opt.init(p);
    fixture.plateau.losses.forEach((loss, t) => {
      const r = opt.update(f64([1]), state, p, { loss });
      state = r.state;
      expect(values(r.updates)[0]! * 0.1).toBeCloseTo(fixture.plateau.lrs[t]!, 14);
    });
    expect(state.scale).toBeCloseTo(0.1, 14);
  });
});

describe('schedules against closed forms', () => {
  it('constant', () => expect([0, 5, 1e6].map(constant(0.3))).toEqual([0.3, 0.3, 0.3]));

  it('exponentialDecay with staircase', () => {
    const s = exponentialDecay({ init: 2, decayRate: 0.5, transitionSteps: 10, staircase: true });
    expect([0, 9, 10, 25].map(s)).toEqual([2, 2, 1, 0.5]);
    expect(exponentialDecay({ init: 2, decayRate: 0.5, transitionSteps: 10 })(5)).toBeCloseTo(2 * 0.5 ** 0.5, 15);
  });

  it('warmupCosine: linear to the peak, then half a cosine to the end value', () => {
    const s = warmupCosine({ init: 0, peak: 1, warmupSteps: 10, decaySteps: 110, end: 0.1 });
    expect(s(0)).toBe(0);
    expect(s(5)).toBeCloseTo(0.5, 15);
    expect(s(10)).toBeCloseTo(1, 15);
    expect(s(60)).toBeCloseTo(0.1 + 0.9 * 0.5, 15);
    expect(s(110)).toBeCloseTo(0.1, 15);
    expect(s(500)).toBeCloseTo(0.1, 15);
  });

  it('piecewiseConstant: the ResNet drops at 30k and 50k', () => {
    const s = piecewiseConstant({ init: 0.05, boundariesAndScales: { 30000: 0.1, 50000: 0.1 } });
    expect([0, 29999, 30000, 49999, 50000].map(s).map((x) => +x.toPrecision(12))).toEqual([0.05, 0.05, 0.005, 0.005, 0.0005]);
  });

  it('invalid options name the option', () => {
    expect(() => cosineDecay({ init: 1, decaySteps: 0 })).toThrow(/cosineDecay: decaySteps must be an integer ≥ 1, got 0/);
    expect(() => stepDecay({ init: -1, stepSize: 1 })).toThrow(/stepDecay: init .*-1/);
    expect(() => oneCycle({ maxLr: 1, totalSteps: 10, pctStart: 2 })).toThrow(/oneCycle: pctStart must be a number in \[0, 1\], got 2/);
  });
});
