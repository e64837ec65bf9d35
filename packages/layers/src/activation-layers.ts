import { type Tensor, add, full, maximum, minimum, mul, reshape } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { type ActivationFn, type ActivationName, resolveActivation } from './activations.js';
import { type Module, NO_STATE } from './module.js';

/** A parameter-free layer applying the activation `fn` elementwise. */
export function Activation(fn: ActivationName | ActivationFn, name = typeof fn === 'string' ? fn : 'Activation'): Module<Record<string, never>, Record<string, never>> {
  const f = resolveActivation(fn, name);
  return {
    name,
    init: (_key, inputShape) => ({ params: {}, state: NO_STATE, outputShape: [...inputShape] }),
    apply: (_params, x) => f(x),
  };
}

/** Options of `PReLU`. */
export interface PReLULayerOptions {
  /** One slope for all features (`'shared'`, PyTorch's default) or one per channel (axis 1). */
  slopes?: 'shared' | 'perChannel';
  /** Initial slope (PyTorch: 0.25). */
  init?: number;
}

/** PReLU: max(x, 0) + α·min(x, 0) with a learnable slope α (params `{ alpha }`). */
export function PReLU(options?: PReLULayerOptions): Module<{ alpha: Tensor }, Record<string, never>> {
  const { slopes, init } = checkOptions('PReLU', options, { slopes: option.oneOf(['shared', 'perChannel']).default('shared'), init: option.number().default(0.25) });
  return {
    name: 'PReLU',
    init: (_key, inputShape, o = {}) => {
      if (slopes === 'perChannel' && inputShape.length < 1) throw new RangeError(`PReLU: perChannel slopes need a channel axis; inputShape is ${fmtShape(inputShape)}`);
      const alpha = full(slopes === 'shared' ? [] : [inputShape[0]!], init, o.dtype ?? 'float32');
      return { params: { alpha }, state: NO_STATE, outputShape: [...inputShape] };
    },
    apply: ({ alpha }, x) => {
      let a = alpha;
      if (alpha.rank === 1) {
        if (x.rank < 2 || x.shape[1] !== alpha.shape[0]) throw new RangeError(`PReLU: input ${fmtShape(x.shape)} must have ${alpha.shape[0]} channels on axis 1`);
        a = reshape(alpha, [1, alpha.shape[0]!, ...Array(x.rank - 2).fill(1)]);
      }
      return add(maximum(x, 0), mul(minimum(x, 0), a));
    },
  };
}
