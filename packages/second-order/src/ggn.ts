// The generalised Gauss-Newton matrix G = Jᵀ·H_L·J of f = loss ∘ net (the report's eqs. 12–15): J the
// Jacobian of the outputs in the params, H_L the Hessian of the loss in the outputs. G drops the
// term Σ ∂L/∂o · ∇²o of the Hessian, so it is positive semi-definite whenever the loss is convex in
// the outputs (squared error, softmax cross-entropy).
import { hvp, linearize, vjp } from '@ddopt/autograd';
import type { PyTree, Tensor } from '@ddopt/tensor';
import { fmtValue } from '@ddopt/tensor/validate';
import { type LinearOperator, checkedOperator } from './operator.js';
import { spaceOf } from './space.js';
import { assertFunction, scalarLoss } from './validate.js';

/** A loss that knows its two halves: `f(params) = loss(net(params))`, as Gauss-Newton and SQGN need. */
export interface SplitLoss<P = any, O = any> {
  (params: P): Tensor;
  /** params ↦ outputs (a tensor or pytree of them). */
  readonly net: (params: P) => O;
  /** outputs ↦ scalar loss. */
  readonly loss: (outputs: O) => Tensor;
}

/** `loss ∘ net` as one function that also carries `net` and `loss`, for the methods that split it. */
export function splitLoss<P, O>(net: (params: P) => O, loss: (outputs: O) => Tensor): SplitLoss<P, O> {
  assertFunction('splitLoss', 'net', net, 'params ↦ outputs');
  assertFunction('splitLoss', 'loss', loss, 'outputs ↦ scalar Tensor');
  const f = (params: P): Tensor => loss(net(params));
  return Object.assign(f, { net, loss }) as SplitLoss<P, O>;
}

/** @internal Throws unless `f` was made by `splitLoss`, naming the method that needs it. */
export function assertSplit(where: string, f: unknown): asserts f is SplitLoss {
  const s = f as Partial<SplitLoss> | null;
  if (typeof f !== 'function' || typeof s?.net !== 'function' || typeof s?.loss !== 'function') {
    throw new TypeError(`${where}: the loss must be made with splitLoss(net, loss) so that Gauss-Newton products can split it, got ${fmtValue(f)}`);
  }
}

/** @internal The recorded net at params: its outputs, J·v and Jᵀ·u (the forward pass recorded once). */
export function linearizedNet<P, O>(where: string, net: (params: P) => O, params: P): { out: O; jvp: (v: P) => O; vjpOut: (u: O) => P } {
  assertFunction(where, 'net', net, 'params ↦ outputs');
  const [out, pullback] = vjp(net, params);
  const [, push] = linearize(net, params);
  return { out, jvp: (v) => push(v), vjpOut: (u) => pullback(u)[0] as P };
}

/**
 * The Gauss-Newton operator Jᵀ·H_L·J of `loss(net(params))` at `params`: each product pushes v
 * forward through the recorded net (J·v), multiplies by the loss's Hessian in the outputs (an
 * `hvp` of `loss`), and pulls back (Jᵀ·). The net's forward pass is recorded once, when the
 * operator is made.
 */
export function ggnOperator<P>(net: (params: P) => PyTree, loss: (outputs: any) => Tensor, params: P): LinearOperator<P> {
  const where = 'ggnOperator';
  const space = spaceOf(where, 'params', params);
  const l = scalarLoss(where, loss, 'loss(outputs)');
  const { out, jvp, vjpOut } = linearizedNet(where, net, params);
  return checkedOperator(where, space, (v) => vjpOut(hvp(l, out, jvp(v))));
}

/** One Gauss-Newton-vector product Jᵀ·H_L·J·v of `loss(net(params))` (see `ggnOperator`). */
export function ggnvp<P>(net: (params: P) => PyTree, loss: (outputs: any) => Tensor, params: P, v: P): P {
  return ggnOperator(net, loss, params).apply(v);
}
