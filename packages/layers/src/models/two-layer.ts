import { type Key, type Tensor, matmul, mul, rademacher, reshape, splitKey, transpose } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { activationOpt, initializerOpt, positionalHint } from '../options.js';
import { type ActivationFn, type ActivationName, resolveActivation } from '../activations.js';
import { type Initializer, normal } from '../initializers.js';
import type { Module } from '../module.js';
import { checkInputShape } from '../input-shape.js';

/** Options of `twoLayer`. */
export interface TwoLayerOptions {
  /** Hidden width k. */
  k: number;
  activation?: ActivationName | ActivationFn;
  /** Keep the output weights a fixed (in `state`, not trained), as in Du et al. (default true). */
  fixedSecondLayer?: boolean;
  /** Multiply the output by 1/√k, the scaling behind the Gram matrix H of eq. 17 (default true). */
  scaled?: boolean;
  /** Initializer of the first layer w [k, d] (default N(0, 1), Du et al.'s w_r ~ N(0, I)). */
  init?: Initializer;
}

/** Params/state split of `twoLayer`: `a` lives in state when the second layer is fixed. */
export interface TwoLayerTree {
  w?: Tensor;
  a?: Tensor;
}

/**
 * Du et al.'s two-layer network f(x) = (1/√k)·Σ_r a_r σ(w_rᵀx) with a_r uniform in {−1, +1}:
 * x [N, d] → [N, 1]. With `fixedSecondLayer` only w is a parameter and a sits in the state.
 */
export function twoLayer(options: TwoLayerOptions): Module<TwoLayerTree, TwoLayerTree> {
  const o = checkOptions(
    'twoLayer',
    options,
    { k: option.int(1).required(), activation: activationOpt().default('relu'), fixedSecondLayer: option.boolean().default(true), scaled: option.boolean().default(true), init: initializerOpt().default(normal(1)) },
    { hint: positionalHint('twoLayer', 'k') },
  );
  const { k, fixedSecondLayer, scaled, init } = o;
  const sigma = resolveActivation(o.activation, 'twoLayer');
  return {
    name: `twoLayer(${k})`,
    init: (key, inputShape, o = {}) => {
      checkInputShape('twoLayer', inputShape, 1, '[d]');
      const [kw, ka] = splitKey(key, 2) as [Key, Key];
      const w = init(kw, [k, inputShape[0]!], { dtype: o.dtype });
      const a = rademacher(ka, [k], { dtype: o.dtype ?? 'float32' });
      return fixedSecondLayer ? { params: { w }, state: { a }, outputShape: [1] } : { params: { w, a }, state: {}, outputShape: [1] };
    },
    apply: (params, x, ctx) => {
      const w = params.w!;
      const a = fixedSecondLayer ? ctx?.state?.a : params.a;
      if (!a) throw new TypeError(`twoLayer: the fixed second layer a is in the state; call apply with ctx = { train, state } from init`);
      if (x.rank !== 2 || x.shape[1] !== w.shape[1]) throw new RangeError(`twoLayer: input must be [N, ${w.shape[1]}], got ${fmtShape(x.shape)}`);
      const h = sigma(matmul(x, transpose(w)));
      const y = matmul(h, reshape(a, [k, 1]));
      return scaled ? mul(y, 1 / Math.sqrt(k)) : y;
    },
  };
}
