// The optimizer-specific option checks (rates, decays, betas), built on @ddopt/tensor/validate's
// declared options: every transform, preset, schedule and projection declares its options once
// with these and `checkOptions`, so a non-object, an unknown key, a wrong type or an
// out-of-domain value throws naming the function, the option and the value.
import { type Check, checkArg, fmtValue, option } from '@ddopt/tensor/validate';
import type { GradientTransformation, ScalarOrSchedule } from './types.js';

/** A finite number ≥ 0 (rates, decays, penalties). */
export const nonNegativeOpt = (): Check<number, false> => option.number({ min: 0 });
/** A finite number > 0 (eps, radii). */
export const positiveOpt = (): Check<number, false> => option.number({ above: 0 });
/** A number in [0, 1) (EMA decays, betas). */
export const unitOpt = (): Check<number, false> => option.number({ min: 0, below: 1 });
/** A number in [0, 1]. */
export const closedUnitOpt = (): Check<number, false> => option.number({ min: 0, max: 1 });
/** A finite number ≥ 0 or a function of the step count (a schedule). */
export const rateOrScheduleOpt = (): Check<ScalarOrSchedule, false> => option.anyOf(option.number({ min: 0 }), option.fn<(count: number) => number>());
/** PyTorch's betas: a pair of numbers in [0, 1). */
export const betasOpt = (): Check<[number, number], false> => option.pairOf(unitOpt());

/** Throws unless `value` is a finite number ≥ 0. */
export function nonNegative(where: string, name: string, value: unknown): number {
  return checkArg(where, name, nonNegativeOpt(), value);
}

/** Throws unless `value` is a finite number > 0. */
export function positive(where: string, name: string, value: unknown): number {
  return checkArg(where, name, positiveOpt(), value);
}

/** Throws unless `value` is a number in [0, 1). */
export function unitInterval(where: string, name: string, value: unknown): number {
  return checkArg(where, name, unitOpt(), value);
}

/**
 * For presets: `adam(0.1)` (torch's positional learning rate) is refused with the call that
 * means it here, `adam({ lr: 0.1 })`.
 */
export function lrHint(where: string): (value: unknown) => string | undefined {
  return (v) => (typeof v === 'number' || typeof v === 'function' ? `the learning rate is an option: write ${where}({ lr: ${typeof v === 'number' ? v : 'schedule'} })` : undefined);
}

/** Throws unless `step` is a step count (an integer ≥ 0), for schedules called with a step. */
export function stepCount(where: string, step: unknown): number {
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
    throw new (typeof step === 'number' ? RangeError : TypeError)(`${where}: the step must be an integer ≥ 0, got ${fmtValue(step)}`);
  }
  return step;
}

/** A GradientTransformation ({ init, update } functions). */
export function isTransform(x: unknown): x is GradientTransformation<any> {
  return typeof x === 'object' && x !== null && typeof (x as GradientTransformation).init === 'function' && typeof (x as GradientTransformation).update === 'function';
}

/** The option check of a GradientTransformation. */
export const transformOpt = (): Check<GradientTransformation<any>, false> =>
  option.custom('a GradientTransformation ({ init, update })', (v, fail) => (isTransform(v) ? v : fail()));
