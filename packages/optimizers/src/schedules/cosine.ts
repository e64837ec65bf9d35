import type { Schedule } from '../types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { closedUnitOpt, nonNegativeOpt, positiveOpt } from '../validate.js';
import { onSteps } from './basic.js';

/** init·((1 − alpha)·½(1 + cos(π·t/T)) + alpha) for t ≤ T, then init·alpha. */
export function cosineDecay(options: { init: number; decaySteps: number; alpha?: number }): Schedule {
  const { init, decaySteps, alpha } = checkOptions('cosineDecay', options, { init: nonNegativeOpt().required(), decaySteps: option.int(1).required(), alpha: closedUnitOpt().default(0) });
  return onSteps('cosineDecay', (t) => init * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, decaySteps)) / decaySteps)) + alpha));
}

/** Linear warm-up from init to peak over warmupSteps, then cosine decay from peak to end at decaySteps (total). */
export function warmupCosine(options: { init?: number; peak: number; warmupSteps: number; decaySteps: number; end?: number }): Schedule {
  const { init, peak, warmupSteps, decaySteps, end } = checkOptions('warmupCosine', options, {
    init: nonNegativeOpt().default(0),
    peak: nonNegativeOpt().required(),
    warmupSteps: option.int(0).required(),
    decaySteps: option.int(1).required(),
    end: nonNegativeOpt().default(0),
  });
  if (decaySteps <= warmupSteps) throw new RangeError(`warmupCosine: decaySteps must be an integer ≥ ${warmupSteps + 1} (more than warmupSteps), got ${decaySteps}`);
  return onSteps('warmupCosine', (t) => {
    if (t < warmupSteps) return init + ((peak - init) * t) / warmupSteps;
    const s = Math.min(t - warmupSteps, decaySteps - warmupSteps) / (decaySteps - warmupSteps);
    return end + (peak - end) * 0.5 * (1 + Math.cos(Math.PI * s));
  });
}

/**
 * Smith's one-cycle policy with cosine annealing (torch's OneCycleLR, three phases off): from
 * maxLr/divFactor up to maxLr over pctStart·totalSteps, then down to maxLr/(divFactor·finalDivFactor).
 */
export function oneCycle(options: { maxLr: number; totalSteps: number; pctStart?: number; divFactor?: number; finalDivFactor?: number }): Schedule {
  const { maxLr, totalSteps, pctStart, divFactor, finalDivFactor } = checkOptions('oneCycle', options, {
    maxLr: nonNegativeOpt().required(),
    totalSteps: option.int(2).required(),
    pctStart: closedUnitOpt().default(0.3),
    divFactor: positiveOpt().default(25),
    finalDivFactor: positiveOpt().default(1e4),
  });
  const initial = maxLr / divFactor;
  const final = initial / finalDivFactor;
  const up = pctStart * totalSteps - 1;
  const down = totalSteps - 1;
  const anneal = (a: number, b: number, p: number) => b + ((a - b) / 2) * (1 + Math.cos(Math.PI * p));
  return onSteps('oneCycle', (t) => {
    const s = Math.min(t, down);
    if (s <= up) return anneal(initial, maxLr, up > 0 ? s / up : 1);
    return anneal(maxLr, final, (s - up) / (down - up));
  });
}

/** SGDR warm restarts (Loshchilov & Hutter): cosine from init to min over periods period, period·tMult, period·tMult², … */
export function sgdr(options: { init: number; period: number; tMult?: number; min?: number }): Schedule {
  const { init, period, tMult, min } = checkOptions('sgdr', options, { init: nonNegativeOpt().required(), period: option.int(1).required(), tMult: option.int(1).default(1), min: nonNegativeOpt().default(0) });
  return onSteps('sgdr', (t) => {
    let start = 0;
    let len = period;
    while (t >= start + len) {
      start += len;
      len *= tMult;
    }
    return min + (init - min) * 0.5 * (1 + Math.cos((Math.PI * (t - start)) / len));
  });
}
