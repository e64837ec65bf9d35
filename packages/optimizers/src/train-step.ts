import { valueAndGrad } from '@ddopt/autograd';
import { type PyTree, type Tensor, tidy } from '@ddopt/tensor';
import { applyUpdates, evalPoint } from './base.js';
import { disposeReplaced } from './memory.js';
import type { GradientTransformation, State, UpdateExtra } from './types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';

/** Params and optimizer state between steps. */
export interface TrainState<P, S> {
  params: P;
  state: S;
}

/** What `trainStep` returns: the new params and state, and the loss at the point the gradient was taken. */
export interface TrainStepResult<P, S> extends TrainState<P, S> {
  loss: number;
}

export interface TrainStepOptions {
  /** Tensors never disposed: initial weights several runs share, data. */
  protect?: ReadonlySet<Tensor>;
  /** Passed to `update` as `extra`, over `{ loss }` (the step's loss), so a given `extra.loss` wins. */
  extra?: UpdateExtra;
}

/**
 * One optimizer step: the loss and its gradient (`valueAndGrad`) at `evalPoint(tx, params, state)`,
 * then `tx.update` (with `extra.loss`) and `applyUpdates`. The tensors the step makes and does not
 * return are disposed, and so are the old params and state tensors the new ones replace, except
 * those in `protect`, so a loop on a tfjs backend keeps `numTensors()` flat. If the loss or the
 * update throws, the step's tensors are disposed and `current` is left intact. The result can be
 * passed back as `current`.
 */
export function trainStep<P extends PyTree, S extends State>(
  loss: (params: P) => Tensor,
  tx: GradientTransformation<S>,
  current: TrainState<P, S>,
  given?: TrainStepOptions,
): TrainStepResult<P, S> {
  const options = checkOptions('trainStep', given, { protect: option.any<ReadonlySet<Tensor>>(), extra: option.object<UpdateExtra>() });
  checkStepArgs('trainStep', loss, tx);
  if (current === null || typeof current !== 'object' || !('params' in current) || !('state' in current)) {
    throw new TypeError('trainStep: the third argument must be { params, state } (the previous result will do)');
  }
  checkProtect('trainStep', options.protect);
  const { params, state } = current;
  // tidy frees what the step makes and does not return, also when the loss or the update throws.
  const next = tidy(() => {
    const [value, grads] = valueAndGrad(loss)(evalPoint(tx, params, state)) as [Tensor, PyTree];
    const lossValue = value.item();
    const r = tx.update(grads, state, params, { loss: lossValue, ...options.extra });
    return { params: applyUpdates(params, r.updates), state: r.state, loss: lossValue };
  });
  disposeReplaced({ params, state }, next, options.protect);
  return next;
}

/** @internal Throws unless `loss` is a function and `tx` a GradientTransformation, naming `where`. */
export function checkStepArgs(where: string, loss: unknown, tx: unknown): void {
  if (typeof loss !== 'function') throw new TypeError(`${where}: loss must be a function of the params returning a scalar Tensor, got ${typeof loss}`);
  const t = tx as GradientTransformation | null;
  if (typeof t?.init !== 'function' || typeof t?.update !== 'function') throw new TypeError(`${where}: tx must be a GradientTransformation ({ init, update }), got ${typeof tx}`);
}

/** @internal Throws unless `protect` is omitted or a Set of tensors, naming `where`. */
export function checkProtect(where: string, protect: unknown): void {
  if (protect !== undefined && !(protect instanceof Set)) throw new TypeError(`${where}: protect must be a Set of tensors (new Set(treeLeaves(tree))), got ${typeof protect}`);
}
