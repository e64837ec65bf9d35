import type { PyTree } from '@ddopt/tensor';

/** Optimizer state: a pytree of Tensors and plain numbers (step counts), serializable with `stateToJSON`. */
export type State = unknown;

/** What a step may need beyond the gradient: the loss (for `reduceOnPlateau`), anything else a transform reads. */
export interface UpdateExtra {
  loss?: number;
  readonly [key: string]: unknown;
}

/** The result of one `update`: the updates to add to the params, and the new state. */
export interface UpdateResult<S> {
  updates: PyTree;
  state: S;
}

/**
 * A pure optimizer step, optax-style. `init` builds the state from the params; `update` maps
 * gradients to updates (to be added to the params with `applyUpdates`) and a new state;
 * `evalPoint`, where present, is the point at which the next gradient must be taken (the
 * uniform framework's ζ: Nesterov-style look-ahead).
 */
export interface GradientTransformation<S extends State = State> {
  /** The optimizer's name where it has one (the presets: 'adam', 'sgd', ...), recorded by `stateToJSON`. */
  readonly name?: string;
  init(params: PyTree): S;
  update(grads: PyTree, state: S, params?: PyTree, extra?: UpdateExtra): UpdateResult<S>;
  evalPoint?(params: PyTree, state: S): PyTree;
}

/** A learning-rate schedule: the value at step `count` (0 for the first step). */
export type Schedule = (count: number) => number;

/** A number or a schedule of the step count. */
export type ScalarOrSchedule = number | Schedule;
