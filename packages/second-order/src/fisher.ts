// The empirical Fisher F = (1/N) Σᵢ ∇ℓᵢ ∇ℓᵢᵀ of a loss L = (1/N) Σᵢ ℓᵢ(oᵢ) whose outputs o = net(params)
// have the samples on their first axis. With rᵢ = ∂L/∂oᵢ = ∇ℓᵢ(oᵢ)/N and ∇ℓᵢ = Jᵢᵀ·N·rᵢ,
// F·v = Jᵀ·u with uᵢ = N·rᵢ·(rᵢ · (J·v)ᵢ): one forward push, one pullback, no per-sample gradients.
import { grad } from '@ddopt/autograd';
import { type Tensor, isTensor, mul, reshape, sum } from '@ddopt/tensor';
import { type OptionSpec, checkOptions, fmtShape, fmtValue, option } from '@ddopt/tensor/validate';
import { linearizedNet } from './ggn.js';
import { type LinearOperator, checkedOperator } from './operator.js';
import { spaceOf } from './space.js';
import { scalarLoss } from './validate.js';

/** Options of `fisherOperator` and `fishervp`. */
export interface FisherOptions {
  /**
   * How the loss combines the samples: 'mean' (default; L = (1/N) Σ ℓᵢ, F = (1/N) Σ ∇ℓᵢ∇ℓᵢᵀ) or
   * 'sum' (L = Σ ℓᵢ, F = Σ ∇ℓᵢ∇ℓᵢᵀ).
   */
  reduction?: 'mean' | 'sum';
}

const OPTIONS = { reduction: option.oneOf(['mean', 'sum'] as const).default('mean') } satisfies OptionSpec<FisherOptions>;

/**
 * The empirical Fisher of `loss(net(params))` as a LinearOperator. `net(params)` must return one
 * tensor whose first axis is the samples, and `loss` must be the mean (or, with
 * `reduction: 'sum'`, the sum) of one term per sample; F is then (1/N) Σᵢ ∇ℓᵢ∇ℓᵢᵀ over the
 * per-sample gradients, computed without forming them.
 */
export function fisherOperator<P>(net: (params: P) => Tensor, loss: (outputs: Tensor) => Tensor, params: P, options?: FisherOptions): LinearOperator<P> {
  const where = 'fisherOperator';
  const o = checkOptions(where, options, OPTIONS);
  const space = spaceOf(where, 'params', params);
  const l = scalarLoss(where, loss, 'loss(outputs)');
  const { out, jvp, vjpOut } = linearizedNet(where, net, params);
  if (!isTensor(out) || out.rank < 1) throw new TypeError(`${where}: net(params) must return one tensor with the samples on its first axis, got ${isTensor(out) ? `shape ${fmtShape(out.shape)}` : fmtValue(out)}`);
  const n = out.shape[0]!;
  const r = grad(l)(out) as Tensor;
  const perSample = [n, ...out.shape.slice(1).map(() => 1)];
  const factor = o.reduction === 'mean' ? n : 1;
  const axes = out.shape.slice(1).map((_, i) => i + 1);
  return checkedOperator(where, space, (v) => {
    const jv = jvp(v) as Tensor;
    const s = axes.length === 0 ? mul(r, jv) : sum(mul(r, jv), { axis: axes });
    return vjpOut(mul(r, reshape(mul(s, factor), perSample)));
  });
}

/** One empirical-Fisher-vector product F·v of `loss(net(params))` (see `fisherOperator`). */
export function fishervp<P>(net: (params: P) => Tensor, loss: (outputs: Tensor) => Tensor, params: P, v: P, options?: FisherOptions): P {
  return fisherOperator(net, loss, params, options).apply(v);
}
