import { ERFC_G, ERFC_G_FLOAT32_TERMS, ERF_F, ERF_F_FLOAT32_TERMS } from '../../special/erf-coefficients.js';
import type { Tf, TfTensor } from './kernels.js';

// erf and erfc in float32 from the cpu backend's Chebyshev expansions (src/special/), cut to the
// terms float32 needs. tfjs's own Erf is accurate on wasm but, on webgl, the Abramowitz–Stegun
// 7.1.26 fit: absolute error 1.5e-7, so relative error up to 1e-3 near 0; tfjs has no erfc.

const F = ERF_F.slice(0, ERF_F_FLOAT32_TERMS);
const G = ERFC_G.slice(0, ERFC_G_FLOAT32_TERMS);

/** Σ' c_k T_k(t) by Clenshaw's recurrence, on tensors. */
function clenshaw(tf: Tf, c: readonly number[], t: TfTensor): TfTensor {
  const t2 = tf.mul(t, tf.scalar(2));
  let b1 = tf.fill(t.shape, c[c.length - 1]!);
  let b2 = tf.zerosLike(t);
  for (let k = c.length - 2; k >= 1; k--) {
    const b = tf.add(tf.sub(tf.mul(t2, b1), b2), tf.scalar(c[k]!));
    b2 = b1;
    b1 = b;
  }
  return tf.add(tf.sub(tf.mul(t, b1), b2), tf.scalar(c[0]!));
}

/** erf: x·F(x²) for |x| < 1 (tfjs's Erf is inaccurate there on webgl), tfjs's Erf beyond. */
export function erf(tf: Tf, x: TfTensor): TfTensor {
  const small = tf.mul(x, clenshaw(tf, F, tf.sub(tf.mul(tf.square(x), tf.scalar(2)), tf.scalar(1))));
  return tf.where(tf.less(tf.abs(x), tf.scalar(1)), small, tf.erf(x));
}

// float32 erfc is below its smallest subnormal beyond 10; clamping there keeps ∞ out of the tail.
const ERFC_ZERO = 10;

/**
 * erfc: 1 − erf(x) below 0.5; above, exp(−x²)·G(τ)/(1 + 2x) with τ = (x − 4)/(x + 3) and
 * x² = hi² + (x − hi)(x + hi), hi = x rounded to 1/16 (so hi² is exact in float32).
 */
export function erfc(tf: Tf, x: TfTensor): TfTensor {
  const c = (v: number) => tf.scalar(v);
  const big = tf.greater(x, c(ERFC_ZERO));
  const xs = tf.where(big, tf.fill(x.shape, ERFC_ZERO), x);
  const g = tf.div(clenshaw(tf, G, tf.div(tf.sub(xs, c(4)), tf.add(xs, c(3)))), tf.add(tf.mul(xs, c(2)), c(1)));
  const hi = tf.div(tf.round(tf.mul(xs, c(16))), c(16));
  const tail = tf.mul(tf.mul(g, tf.exp(tf.neg(tf.mul(tf.sub(xs, hi), tf.add(xs, hi))))), tf.exp(tf.neg(tf.square(hi))));
  return tf.where(tf.less(x, c(0.5)), tf.sub(c(1), erf(tf, x)), tf.where(big, tf.zerosLike(x), tail));
}
