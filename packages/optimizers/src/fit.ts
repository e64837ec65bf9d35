import type { PyTree, Tensor } from '@ddopt/tensor';
import { disposeReplaced } from './memory.js';
import { checkProtect, checkStepArgs, trainStep } from './train-step.js';
import type { GradientTransformation, State, UpdateExtra } from './types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { checkStateStructure } from './serialize.js';

export interface FitOptions<P, S> {
  /** How many steps to take. */
  steps: number;
  /** Called after each step; `params` and `state` are valid until the next step replaces them. */
  onStep?: (info: { step: number; loss: number; params: P; state: S }) => void;
  /** Tensors never disposed (see `trainStep`). */
  protect?: ReadonlySet<Tensor>;
  /** Start from this state (a resumed run) instead of `tx.init(params)`. */
  state?: S;
  /** Passed to every `update` as `extra` (see `trainStep`). */
  extra?: UpdateExtra;
}

/** What `fit` returns: the final params and state, and the loss of every step. */
export interface FitResult<P, S> {
  params: P;
  state: S;
  losses: number[];
}

/**
 * Runs `steps` `trainStep`s from `params`; `loss(params, step)` may pick the step's batch. Tensors are
 * disposed as `trainStep` does: the given params (and state) are consumed once replaced unless
 * protected. If a step throws, what fit made is disposed (the caller's own params and state are
 * not) and the error is rethrown.
 */
export function fit<P extends PyTree, S extends State>(
  loss: (params: P, step: number) => Tensor,
  tx: GradientTransformation<S>,
  params: P,
  options: FitOptions<P, S>,
): FitResult<P, S> {
  checkStepArgs('fit', loss, tx);
  const o = checkOptions(
    'fit',
    options,
    { steps: option.int(0).required(), onStep: option.fn(), protect: option.any(), state: option.any(), extra: option.object() },
    { hint: (v) => (typeof v === 'number' ? `write fit(loss, tx, params, { steps: ${v} })` : undefined) },
  );
  const { steps, onStep, protect, extra } = o;
  checkProtect('fit', protect);
  // A given state must be this optimizer's for these params (adam's state in nadam gives NaN).
  if (o.state !== undefined) checkStateStructure('fit', tx.init(params), o.state, 'options.state');
  let current = { params, state: o.state !== undefined ? o.state : tx.init(params) };
  const losses: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const r = trainStep((p: P) => loss(p, step), tx, current, { protect, extra });
      current = { params: r.params, state: r.state };
      losses.push(r.loss);
      onStep?.({ step, loss: r.loss, params: r.params, state: r.state });
    }
  } catch (error) {
    disposeReplaced(current, { params, state: o.state }, protect);
    throw error;
  }
  return { ...current, losses };
}
