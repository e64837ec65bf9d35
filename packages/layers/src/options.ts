// Shared option declarations of the layers package, on @ddopt/tensor/validate's `option`: every
// constructor, initializer, loss and model declares its options with them and `checkOptions`.
import { type Key, isKey } from '@ddopt/tensor';
import { type Check, checkOptions, fmtValue, option } from '@ddopt/tensor/validate';
import type { ActivationFn, ActivationName } from './activations.js';
import type { Initializer } from './initializers.js';
import type { ApplyContext } from './module.js';

/** An initializer (a function `(key, shape, options) => Tensor`, e.g. `heNormal()`). */
export const initializerOpt = (): Check<Initializer, false> =>
  option.custom('an initializer (a function such as heNormal(), not heNormal itself)', (v, fail) => (typeof v === 'function' ? (v as Initializer) : fail()));

/** An activation name or function. */
export const activationOpt = (): Check<ActivationName | ActivationFn, false> =>
  option.anyOf(option.oneOf(['relu', 'leakyRelu', 'quadratic', 'tanh', 'sigmoid', 'softplus', 'gelu', 'identity']), option.fn<ActivationFn>());

/** A float dtype. */
export const floatDtypeOpt = () => option.oneOf(['float32', 'float64']);

/**
 * For constructors whose main option torch takes positionally (`nn.Linear(64)`, `nn.Dropout(0.5)`):
 * refuse the number with the call that means it here.
 */
export function positionalHint(where: string, key: string): (v: unknown) => string | undefined {
  return (v) => (typeof v === 'number' || Array.isArray(v) ? `write ${where}({ ${key}: ${fmtValue(v)} })` : undefined);
}

const CONTEXT = { train: option.boolean().required(), key: option.key<Key>(), state: option.any() };

/**
 * Checks an `apply` context: an object { train, key?, state } with a boolean `train` (so
 * `{ training: true }` is refused, not run in eval mode). Undefined passes (inference).
 */
export function checkContext(where: string, ctx: ApplyContext<unknown> | undefined): void {
  if (ctx === undefined) return;
  checkOptions(where, ctx as { train: boolean; key?: Key; state?: unknown }, CONTEXT, { arg: 'ctx' });
  if (ctx.key !== undefined && !isKey(ctx.key)) throw new TypeError(`${where}: ctx.key must be a PRNG key, got ${fmtValue(ctx.key)}`);
}
