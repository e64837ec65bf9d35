import type { Schedule } from '../types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { nonNegative, nonNegativeOpt, positiveOpt, stepCount } from '../validate.js';

/** @internal A schedule that refuses a step that is not a step count (−1, 2.5, '3'), naming `where`. */
export function onSteps(where: string, f: (t: number) => number): Schedule {
  return (t) => f(stepCount(where, t));
}

const INIT = nonNegativeOpt().required();

/** The same value at every step. */
export function constant(value: number): Schedule {
  nonNegative('constant', 'value', value);
  return onSteps('constant', () => value);
}

/** init·∏ scales of the boundaries passed: `boundaries` are step counts (ascending), e.g. ResNet's drops {30000: 0.1, 50000: 0.1}. */
export function piecewiseConstant(options: { init: number; boundariesAndScales: Record<number, number> }): Schedule {
  const o = checkOptions('piecewiseConstant', options, { init: INIT, boundariesAndScales: option.object<Record<number, number>>().required() });
  const entries = Object.entries(o.boundariesAndScales)
    .map(([k, v]) => {
      if (!/^(0|[1-9][0-9]*)$/.test(k)) throw new RangeError(`piecewiseConstant: boundariesAndScales key '${k}' must be a step count (an integer ≥ 0)`);
      return [Number(k), nonNegative('piecewiseConstant', `boundariesAndScales[${k}]`, v)] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  return onSteps('piecewiseConstant', (t) => {
    let v = o.init;
    for (const [k, s] of entries) if (t >= k) v *= s;
    return v;
  });
}

/** init·gamma^⌊t/stepSize⌋ (torch's StepLR). */
export function stepDecay(options: { init: number; stepSize: number; gamma?: number }): Schedule {
  const { init, stepSize, gamma } = checkOptions('stepDecay', options, { init: INIT, stepSize: option.int(1).required(), gamma: nonNegativeOpt().default(0.1) });
  return onSteps('stepDecay', (t) => init * gamma ** Math.floor(t / stepSize));
}

/** init·rate^(t/transitionSteps), floored to whole transitions with `staircase`. */
export function exponentialDecay(options: { init: number; decayRate: number; transitionSteps?: number; staircase?: boolean }): Schedule {
  const { init, decayRate, transitionSteps, staircase } = checkOptions('exponentialDecay', options, {
    init: INIT,
    decayRate: positiveOpt().required(),
    transitionSteps: positiveOpt().default(1),
    staircase: option.boolean().default(false),
  });
  return onSteps('exponentialDecay', (t) => {
    const p = t / transitionSteps;
    return init * decayRate ** (staircase ? Math.floor(p) : p);
  });
}

/** Linear from init to end over transitionSteps, then end. */
export function linear(options: { init: number; end: number; transitionSteps: number }): Schedule {
  const o = checkOptions('linear', options, { init: INIT, end: nonNegativeOpt().required(), transitionSteps: option.int(1).required() });
  return polynomialAs('linear', { ...o, power: 1 });
}

/** (init − end)·(1 − t/T)^power + end for t ≤ T, then end. */
export function polynomial(options: { init: number; end: number; power: number; transitionSteps: number }): Schedule {
  const o = checkOptions('polynomial', options, { init: INIT, end: nonNegativeOpt().required(), power: positiveOpt().required(), transitionSteps: option.int(1).required() });
  return polynomialAs('polynomial', o);
}

function polynomialAs(where: string, { init, end, power, transitionSteps }: { init: number; end: number; power: number; transitionSteps: number }): Schedule {
  return onSteps(where, (t) => (init - end) * (1 - Math.min(t, transitionSteps) / transitionSteps) ** power + end);
}
