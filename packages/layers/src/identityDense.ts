import { type Tensor, add, matmul } from '@ddopt/tensor';
import { type Activation, type ActivationName, resolveActivation } from './activations.js';
import { type Initializer, zeros } from './initializers.js';
import { type Module, NO_STATE, checkInputShape, fmt } from './module.js';

/** Options of `identityDense`. */
export interface IdentityDenseOptions {
  /** σ, applied after the identity-shifted map (default 'relu'; pass `prelu`'s function or any other). */
  activation?: ActivationName | Activation;
  /** Initializer of W (default zeros, so the layer starts as σ(x)). */
  init?: Initializer;
}

/**
 * The identity-mapping layer y = σ((I + W)ᵀx) of Li & Yuan: a square d × d map whose weight is
 * a perturbation of the identity. Params `{ w }` with w[i][j] = W_ij, so y_j = σ(x_j + ⟨w_:j, x⟩).
 */
export function identityDense(options: IdentityDenseOptions = {}): Module<{ w: Tensor }, Record<string, never>> {
  const sigma = resolveActivation(options.activation ?? 'relu', 'identityDense');
  const init = options.init ?? zeros();
  return {
    name: 'identityDense',
    init: (key, inputShape, o = {}) => {
      checkInputShape('identityDense', inputShape, 1, '[d]');
      const d = inputShape[0]!;
      return { params: { w: init(key, [d, d], { dtype: o.dtype }) }, state: NO_STATE, outputShape: [d] };
    },
    apply: ({ w }, x) => {
      if (x.rank !== 2 || x.shape[1] !== w.shape[0]) throw new RangeError(`identityDense: input must be [N, ${w.shape[0]}], got ${fmt(x.shape)}`);
      return sigma(add(x, matmul(x, w)));
    },
  };
}
