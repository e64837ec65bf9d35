import type { Schedule } from '../types.js';
import { assertInt } from '@ddopt/tensor/validate';
import { bool, nonNegative, positive } from '../validate.js';

/** The same value at every step. */
export function constant(value: number): Schedule {
  nonNegative('constant', 'value', value);
  return () => value;
}

/** init·∏ scales of the boundaries passed: `boundaries` are step counts (ascending), e.g. ResNet's drops {30000: 0.1, 50000: 0.1}. */
export function piecewiseConstant(options: { init: number; boundariesAndScales: Record<number, number> }): Schedule {
  nonNegative('piecewiseConstant', 'init', options.init);
  const entries = Object.entries(options.boundariesAndScales)
    .map(([k, v]) => [Number(k), nonNegative('piecewiseConstant', `boundariesAndScales[${k}]`, v)] as const)
    .sort((a, b) => a[0] - b[0]);
  for (const [k] of entries) assertInt('piecewiseConstant', 'boundary', k, 0);
  return (t) => {
    let v = options.init;
    for (const [k, s] of entries) if (t >= k) v *= s;
    return v;
  };
}

/** init·gamma^⌊t/stepSize⌋ (torch's StepLR). */
export function stepDecay(options: { init: number; stepSize: number; gamma?: number }): Schedule {
  const { init, stepSize, gamma = 0.1 } = options;
  nonNegative('stepDecay', 'init', init);
  assertInt('stepDecay', 'stepSize', stepSize, 1);
  nonNegative('stepDecay', 'gamma', gamma);
  return (t) => init * gamma ** Math.floor(t / stepSize);
}

/** init·rate^(t/transitionSteps), floored to whole transitions with `staircase`. */
export function exponentialDecay(options: { init: number; decayRate: number; transitionSteps?: number; staircase?: boolean }): Schedule {
  const { init, decayRate, transitionSteps = 1, staircase = false } = options;
  nonNegative('exponentialDecay', 'init', init);
  positive('exponentialDecay', 'decayRate', decayRate);
  positive('exponentialDecay', 'transitionSteps', transitionSteps);
  bool('exponentialDecay', 'staircase', staircase);
  return (t) => {
    const p = t / transitionSteps;
    return init * decayRate ** (staircase ? Math.floor(p) : p);
  };
}

/** Linear from init to end over transitionSteps, then end. */
export function linear(options: { init: number; end: number; transitionSteps: number }): Schedule {
  return polynomial({ ...options, power: 1 });
}

/** (init − end)·(1 − t/T)^power + end for t ≤ T, then end. */
export function polynomial(options: { init: number; end: number; power: number; transitionSteps: number }): Schedule {
  const { init, end, power, transitionSteps } = options;
  nonNegative('polynomial', 'init', init);
  nonNegative('polynomial', 'end', end);
  positive('polynomial', 'power', power);
  assertInt('polynomial', 'transitionSteps', transitionSteps, 1);
  return (t) => (init - end) * (1 - Math.min(t, transitionSteps) / transitionSteps) ** power + end;
}
