import type { FloatDType, Key, PyTree, Tensor } from '@ddopt/tensor';
import { checkOptions, option } from '@ddopt/tensor/validate';

/** A pytree of tensors, loosely typed so params and state of any layout index freely. */
export type Tree = PyTree<any>;

/** Options for `Module.init`. */
export interface InitOptions {
  /** Dtype of the created parameters and state (default float32; float64 for gradient checks). */
  dtype?: FloatDType;
}

/** What `Module.init` returns: trainable `params`, non-trainable `state`, and the per-sample output shape. */
export interface Initialized<P = Tree, S = Tree> {
  params: P;
  state: S;
  /** Shape of one output sample (no batch axis), so containers can chain `init`. */
  outputShape: number[];
}

/**
 * The context of one `apply` call. `state` holds non-trainable values (batch-norm running
 * statistics, fixed random features). A layer never mutates the state object it is given:
 * when its state changes (batch norm in training) it assigns a *new* state to `ctx.state`,
 * so after `apply` the caller reads the updated state from the same `ctx` object.
 */
export interface ApplyContext<S = Tree> {
  /** Training mode: batch norm uses batch statistics and updates `state`, dropout drops. */
  train: boolean;
  /** Randomness for this call (dropout); containers split it among their children. */
  key?: Key;
  state: S;
}

/**
 * A layer or model: `init` creates parameters for a per-sample `inputShape` (no batch axis);
 * `apply` maps a batch `x` of shape [N, ...inputShape] to [N, ...outputShape].
 */
export interface Module<P = Tree, S = Tree> {
  /** A short description used in error messages, e.g. `Dense(64)`. */
  readonly name: string;
  init(key: Key, inputShape: readonly number[], options?: InitOptions): Initialized<P, S>;
  apply(params: P, x: Tensor, ctx?: ApplyContext<S>): Tensor;
}

/** Runs `module.apply` and returns the output together with the (possibly updated) state. */
export function applyModule<P, S>(
  module: Module<P, S>,
  params: P,
  x: Tensor,
  options: { train?: boolean; key?: Key; state: S },
): { y: Tensor; state: S } {
  const o = checkOptions('applyModule', options, { train: option.boolean().default(false), key: option.key<Key>(), state: option.any<Exclude<S, undefined>>().required() });
  const ctx: ApplyContext<S> = { train: o.train === true, key: o.key, state: o.state as S };
  const y = module.apply(params, x, ctx);
  return { y, state: ctx.state };
}

/** @internal The state passed to a stateless layer's init. */
export const NO_STATE: Record<string, never> = Object.freeze({}) as Record<string, never>;
