import { type Tensor, add, matmul } from '@ddopt/tensor';
import { checkOptions, fmtShape } from '@ddopt/tensor/validate';
import { activationOpt, initializerOpt } from './options.js';
import { type ActivationFn, type ActivationName, resolveActivation } from './activations.js';
import { type Initializer, zeros } from './initializers.js';
import { type Module, NO_STATE } from './module.js';
import { checkInputShape } from './input-shape.js';

/** Options of `IdentityDense`. */
export interface IdentityDenseLayerOptions {
  /** σ, applied after the identity-shifted map (default 'relu'; pass `prelu`'s function or any other). */
  activation?: ActivationName | ActivationFn;
  /** Initializer of W (default zeros, so the layer starts as σ(x)). */
  init?: Initializer;
}

/**
 * The identity-mapping layer y = σ((I + W)ᵀx) of Li & Yuan: a square d × d map whose weight is
 * a perturbation of the identity. Params `{ w }` with w[i][j] = W_ij, so y_j = σ(x_j + ⟨w_:j, x⟩).
 */
export function IdentityDense(options?: IdentityDenseLayerOptions): Module<{ w: Tensor }, Record<string, never>> {
  const o = checkOptions('IdentityDense', options, { activation: activationOpt().default('relu'), init: initializerOpt().default(zeros()) });
  const sigma = resolveActivation(o.activation, 'IdentityDense');
  const init = o.init;
  return {
    name: 'IdentityDense',
    init: (key, inputShape, o = {}) => {
      checkInputShape('IdentityDense', inputShape, 1, '[d]');
      const d = inputShape[0]!;
      return { params: { w: init(key, [d, d], { dtype: o.dtype }) }, state: NO_STATE, outputShape: [d] };
    },
    apply: ({ w }, x) => {
      if (x.rank !== 2 || x.shape[1] !== w.shape[0]) throw new RangeError(`IdentityDense: input must be [N, ${w.shape[0]}], got ${fmtShape(x.shape)}`);
      return sigma(add(x, matmul(x, w)));
    },
  };
}
