import { type Tensor, abs, add, div, exp, maximum, minimum, mul, relu, sigmoid, sign, softplus, square, sub, tanh } from '@ddopt/tensor';

// relu, tanh, sigmoid and softplus are @ddopt/tensor's ops, re-exported so every activation is here.
export { relu, sigmoid, softplus, tanh };

/** An elementwise activation function. */
export type Activation = (x: Tensor) => Tensor;

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

// Abramowitz & Stegun 7.1.26: erf(x) ≈ 1 − (a₁t + … + a₅t⁵)e^(−x²), t = 1/(1 + p|x|), |error| ≤ 1.5e−7,
// below float32 resolution; built from differentiable ops because there is no erf primitive.
const ERF_P = 0.3275911;
const ERF_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;

/** The error function, to 1.5e−7 absolute (differentiable composite). */
export function erf(x: Tensor): Tensor {
  const ax = abs(x);
  const t = div(1, add(mul(ax, ERF_P), 1));
  let poly = mul(t, ERF_A[4]);
  for (let i = 3; i >= 0; i--) poly = mul(t, add(poly, ERF_A[i]!));
  const y = sub(1, mul(poly, exp(mul(square(ax), -1))));
  return mul(sign(x), y);
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
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}

const BY_NAME: Record<ActivationName, Activation> = {
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
export function resolveActivation(activation: ActivationName | Activation, where = 'activation'): Activation {
  if (typeof activation === 'function') return activation;
  const fn = BY_NAME[activation as ActivationName];
  if (!fn) throw new TypeError(`${where}: unknown activation ${JSON.stringify(activation)}; expected one of ${Object.keys(BY_NAME).join(', ')} or a function`);
  return fn;
}
