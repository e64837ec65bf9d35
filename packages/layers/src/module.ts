import type { Key, Tensor } from '@ddopt/tensor';

/** The float dtypes parameters can have. */
export type FloatDType = 'float32' | 'float64';

/** A pytree of tensors: plain nested objects and arrays whose leaves are `Tensor`s. */
export type Tree = any;

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
  /** A short description used in error messages, e.g. `dense(64)`. */
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
  const ctx: ApplyContext<S> = { train: options.train ?? false, key: options.key, state: options.state };
  const y = module.apply(params, x, ctx);
  return { y, state: ctx.state };
}

/** @internal Formats a shape as [a, b, c] for error messages. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** @internal Throws unless `n` is an integer ≥ `min`, naming the layer and option. */
export function checkInt(where: string, arg: string, n: unknown, min = 1): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) throw new RangeError(`${where}: ${arg} must be an integer ≥ ${min}, got ${String(n)}`);
  return n;
}

/** @internal Throws unless `x` has rank `inputRank + 1` (a batch axis in front), naming the layer. */
export function checkBatched(where: string, x: Tensor, sampleRank: number, what: string): void {
  if (x.rank !== sampleRank + 1) {
    throw new RangeError(`${where}: input must have shape [N, ${what}] (rank ${sampleRank + 1}), got ${fmt(x.shape)}`);
  }
}

/** @internal Throws unless the per-sample input shape has the expected rank. */
export function checkInputShape(where: string, inputShape: readonly number[], rank: number, what: string): void {
  if (!Array.isArray(inputShape) || inputShape.length !== rank || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError(`${where}: inputShape must be ${what} (per sample, without the batch axis), got ${Array.isArray(inputShape) ? fmt(inputShape) : String(inputShape)}`);
  }
}

/** @internal The state passed to a stateless layer's init. */
export const NO_STATE: Record<string, never> = Object.freeze({}) as Record<string, never>;
