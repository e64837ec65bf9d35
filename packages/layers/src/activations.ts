import { type Tensor, add, erf, erfc, maximum, minimum, mul, relu, sigmoid, softplus, square, tanh } from '@ddopt/tensor';
import { checkOptions, didYouMean, fmtValue, option } from '@ddopt/tensor/validate';

// relu, tanh, sigmoid, softplus, erf and erfc are @ddopt/tensor's ops (the same functions),
// re-exported so every activation is here.
export { erf, erfc, relu, sigmoid, softplus, tanh };

/** An elementwise activation function. */
export type ActivationFn = (x: Tensor) => Tensor;

/** Names accepted wherever an activation is expected. */
export type ActivationName = 'relu' | 'leakyRelu' | 'quadratic' | 'tanh' | 'sigmoid' | 'softplus' | 'gelu' | 'identity';

/** x for x ≥ 0, αx otherwise (α = 0.01 by default, as in PyTorch). */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  return add(maximum(x, 0), mul(minimum(x, 0), alpha));
}

/** x², the quadratic activation of Soltanolkotabi et al. */
export function quadratic(x: Tensor): Tensor {
  return square(x);
}

/** x unchanged. */
export function identity(x: Tensor): Tensor {
  return x;
}

/**
 * GELU x·Φ(x). `approximate: 'none'` (default, PyTorch's) takes Φ(x) = ½erfc(−x/√2), accurate in
 * both tails; `'tanh'` uses ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
 */
export function gelu(x: Tensor, options?: { approximate?: 'none' | 'tanh' }): Tensor {
  const { approximate } = checkOptions('gelu', options, { approximate: option.oneOf(['none', 'tanh']).default('none') }, { hint: (v) => (typeof v === 'string' ? `write gelu(x, { approximate: ${fmtValue(v)} })` : undefined) });
  if (approximate === 'tanh') {
    const inner = mul(add(x, mul(mul(square(x), x), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(x, 0.5), erfc(mul(x, -Math.SQRT1_2)));
}

const BY_NAME: Record<ActivationName, ActivationFn> = {
  relu,
  leakyRelu: (x) => leakyRelu(x),
  quadratic,
  tanh,
  sigmoid,
  softplus,
  gelu: (x) => gelu(x),
  identity,
};

/** Resolves an activation given by name or as a function. */
export function resolveActivation(activation: ActivationName | ActivationFn, where = 'activation'): ActivationFn {
  if (typeof activation === 'function') return activation;
  const fn = BY_NAME[activation as ActivationName];
  if (!fn || !Object.hasOwn(BY_NAME, activation as string)) {
    const near = typeof activation === 'string' ? didYouMean(activation, Object.keys(BY_NAME)) : undefined;
    throw new TypeError(`${where}: unknown activation ${fmtValue(activation)}${near ? ` (did you mean '${near}'?)` : ''}; expected one of ${Object.keys(BY_NAME).join(', ')} or a function`);
  }
  return fn;
}
