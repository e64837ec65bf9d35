import type { Schedule } from '../types.js';
import { assertInt } from '@ddopt/tensor/validate';
import { closedUnitInterval, nonNegative, positive } from '../validate.js';

/** init·((1 − alpha)·½(1 + cos(π·t/T)) + alpha) for t ≤ T, then init·alpha. */
export function cosineDecay(options: { init: number; decaySteps: number; alpha?: number }): Schedule {
  const { init, decaySteps, alpha = 0 } = options;
  nonNegative('cosineDecay', 'init', init);
  assertInt('cosineDecay', 'decaySteps', decaySteps, 1);
  closedUnitInterval('cosineDecay', 'alpha', alpha);
  return (t) => init * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, decaySteps)) / decaySteps)) + alpha);
}

/** Linear warm-up from init to peak over warmupSteps, then cosine decay from peak to end at decaySteps (total). */
export function warmupCosine(options: { init?: number; peak: number; warmupSteps: number; decaySteps: number; end?: number }): Schedule {
  const { init = 0, peak, warmupSteps, decaySteps, end = 0 } = options;
  nonNegative('warmupCosine', 'init', init);
  nonNegative('warmupCosine', 'peak', peak);
  nonNegative('warmupCosine', 'end', end);
  assertInt('warmupCosine', 'warmupSteps', warmupSteps, 0);
  assertInt('warmupCosine', 'decaySteps', decaySteps, warmupSteps + 1);
  return (t) => {
    if (t < warmupSteps) return init + ((peak - init) * t) / warmupSteps;
    const s = Math.min(t - warmupSteps, decaySteps - warmupSteps) / (decaySteps - warmupSteps);
    return end + (peak - end) * 0.5 * (1 + Math.cos(Math.PI * s));
  };
}

/**
 * Smith's one-cycle policy with cosine annealing (torch's OneCycleLR, three phases off): from
 * maxLr/divFactor up to maxLr over pctStart·totalSteps, then down to maxLr/(divFactor·finalDivFactor).
 */
export function oneCycle(options: { maxLr: number; totalSteps: number; pctStart?: number; divFactor?: number; finalDivFactor?: number }): Schedule {
  const { maxLr, totalSteps, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } = options;
  nonNegative('oneCycle', 'maxLr', maxLr);
  assertInt('oneCycle', 'totalSteps', totalSteps, 2);
  closedUnitInterval('oneCycle', 'pctStart', pctStart);
  positive('oneCycle', 'divFactor', divFactor);
  positive('oneCycle', 'finalDivFactor', finalDivFactor);
  const initial = maxLr / divFactor;
  const final = initial / finalDivFactor;
  const up = pctStart * totalSteps - 1;
  const down = totalSteps - 1;
  const anneal = (a: number, b: number, p: number) => b + ((a - b) / 2) * (1 + Math.cos(Math.PI * p));
  return (t) => {
    const s = Math.min(t, down);
    if (s <= up) return anneal(initial, maxLr, up > 0 ? s / up : 1);
    return anneal(maxLr, final, (s - up) / (down - up));
  };
}

/** SGDR warm restarts (Loshchilov & Hutter): cosine from init to min over periods period, period·tMult, period·tMult², … */
export function sgdr(options: { init: number; period: number; tMult?: number; min?: number }): Schedule {
  const { init, period, tMult = 1, min = 0 } = options;
  nonNegative('sgdr', 'init', init);
  assertInt('sgdr', 'period', period, 1);
  assertInt('sgdr', 'tMult', tMult, 1);
  nonNegative('sgdr', 'min', min);
  return (t) => {
    let start = 0;
    let len = period;
    while (t >= start + len) {
      start += len;
      len *= tMult;
    }
    return min + (init - min) * 0.5 * (1 + Math.cos((Math.PI * (t - start)) / len));
  };
}
