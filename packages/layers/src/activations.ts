import { type Tensor, abs, add, div, exp, less, maximum, minimum, mul, relu, sigmoid, softplus, square, sub, tanh, where } from '@ddopt/tensor';

// relu, tanh, sigmoid and softplus are @ddopt/tensor's ops, re-exported so every activation is here.
export { relu, sigmoid, softplus, tanh };

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

// The Chebyshev fit of erfc in Numerical Recipes (§6.2, "erfcc"): relative error < 1.2e−7
// everywhere, so Φ(x) = ½erfc(−x/√2) stays accurate far into the tails. Built from
// differentiable ops because there is no erf primitive.
const ERFC_C = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277] as const;

/** The complementary error function 1 − erf(x), to 1.2e−7 relative (differentiable composite). */
export function erfc(x: Tensor): Tensor {
  const z = abs(x);
  const t = div(1, add(mul(z, 0.5), 1));
  let poly = mul(t, ERFC_C[9]);
  for (let i = 8; i >= 1; i--) poly = mul(t, add(poly, ERFC_C[i]!));
  const tail = mul(t, exp(sub(add(poly, ERFC_C[0]), square(z))));
  return where(less(x, 0), sub(2, tail), tail);
}

/** The error function 1 − erfc(x). */
export function erf(x: Tensor): Tensor {
  return sub(1, erfc(x));
}

/**
 * GELU x·Φ(x). `approximate: 'none'` (default, PyTorch's) uses erf; `'tanh'` uses
 * ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
 */
export function gelu(x: Tensor, options: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  if (options.approximate === 'tanh') {
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
  if (!fn) throw new TypeError(`${where}: unknown activation ${JSON.stringify(activation)}; expected one of ${Object.keys(BY_NAME).join(', ')} or a function`);
  return fn;
}
