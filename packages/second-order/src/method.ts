// The one interface of the package's optimisers: they need the loss as a function (curvature is
// taken of it), so a step is `step(f, params, state)` rather than an update of given gradients.
import { valueAndGrad } from '@ddopt/autograd';
import { type PyTree, type Tensor, tidy } from '@ddopt/tensor';
import { type GradientTransformation, applyUpdates, evalPoint } from '@ddopt/optimizers';
import { fmtValue } from '@ddopt/tensor/validate';
import { type Space, fromFlat, spaceOf, toFlat } from './space.js';
import { assertFunction, scalarLoss } from './validate.js';

/** What one step cost, in passes over the loss. */
export interface StepCost {
  /** Loss values without derivatives (line-search trials). */
  evaluations: number;
  /** Loss-and-gradient passes (valueAndGrad). */
  gradients: number;
  /** Curvature-vector products (Hessian, Gauss-Newton); one that also yields the gradient counts here only. */
  products: number;
}

/** What `step` returns: new params and state, the loss at the params it was given, and the cost. */
export interface StepResult<P, S> {
  params: P;
  state: S;
  /** f(params) at the start of the step (what torch's closure returns first). */
  loss: number;
  cost: StepCost;
}

/**
 * A second-order method: `state = opt.init(params)`, then `{ params, state, loss } = opt.step(f,
 * params, state)` with `f(params)` the (minibatch) loss. `step` never mutates its inputs.
 */
export interface SecondOrderMethod<S = unknown> {
  /** The method's name, as in messages. */
  readonly name: string;
  init(params: PyTree): S;
  step<P extends PyTree>(f: (params: P) => Tensor, params: P, state: S): StepResult<P, S>;
}

/** @internal Counts passes and evaluates on the flat space of the params. */
export class Evaluator<P> {
  readonly cost: StepCost = { evaluations: 0, gradients: 0, products: 0 };
  readonly f: (params: P) => Tensor;
  constructor(
    readonly where: string,
    f: (params: P) => Tensor,
    readonly space: Space<P>,
  ) {
    this.f = scalarLoss(where, f);
  }
  /** [f(x), ∇f(x)] at a flat point. */
  valueAndGrad(x: Float64Array): [number, Float64Array] {
    this.cost.gradients++;
    return tidy(() => {
      const [v, g] = valueAndGrad(this.f)(fromFlat(this.space, x)) as [Tensor, P];
      return [v.item(), toFlat(this.space, this.where, 'the gradient', g)] as [number, Float64Array];
    });
  }
  /** f(x) at a flat point. */
  value(x: Float64Array): number {
    this.cost.evaluations++;
    return tidy(() => this.f(fromFlat(this.space, x)).item());
  }
}

/**
 * @internal The method with `step` run inside `tidy`: on tfjs backends the tensors a step makes and
 * does not return are freed (also when it throws); the new params and state are kept.
 */
export function tidyStep<S>(method: SecondOrderMethod<S>): SecondOrderMethod<S> {
  return { name: method.name, init: method.init, step: (f, params, state) => tidy(() => method.step(f, params, state)) };
}

/** @internal Checks the common arguments of `step`. */
export function stepArgs<P>(where: string, f: unknown, params: P, state: unknown): Space<P> {
  assertFunction(where, 'the loss f', f);
  if (state === undefined || state === null || typeof state !== 'object') throw new TypeError(`${where}: state must be what init(params) returned (or the previous step's state), got ${fmtValue(state)}`);
  return spaceOf(where, 'params', params);
}

/** The state of `firstOrder`: the transformation's own. */
export interface FirstOrderState<S> {
  inner: S;
}

/**
 * A GradientTransformation of @ddopt/optimizers (sgd, adam, ...) as a SecondOrderMethod, so that
 * first- and second-order methods race through one interface: each step takes the loss and its
 * gradient at the transformation's `evalPoint`, then `update` (with `extra.loss`) and `applyUpdates`.
 */
export function firstOrder<S>(tx: GradientTransformation<S>): SecondOrderMethod<FirstOrderState<S>> {
  if (typeof tx?.init !== 'function' || typeof tx?.update !== 'function') throw new TypeError(`firstOrder: tx must be a GradientTransformation ({ init, update }), got ${fmtValue(tx)}`);
  return tidyStep<FirstOrderState<S>>({
    name: 'firstOrder',
    init: (params) => ({ inner: tx.init(params) }),
    step(f, params, state) {
      assertFunction('firstOrder', 'the loss f', f);
      const loss = scalarLoss('firstOrder', f);
      const [value, grads] = valueAndGrad(loss)(evalPoint(tx, params, state.inner)) as [Tensor, PyTree];
      const lossValue = value.item();
      const r = tx.update(grads, state.inner, params, { loss: lossValue });
      return { params: applyUpdates(params, r.updates), state: { inner: r.state }, loss: lossValue, cost: { evaluations: 0, gradients: 1, products: 0 } };
    },
  });
}
