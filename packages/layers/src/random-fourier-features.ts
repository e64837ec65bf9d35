import { type Key, type Tensor, concat, cos, matmul, mul, randn, sin, transpose } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { positionalHint } from './options.js';
import type { Module } from './module.js';
import { checkInputShape } from './input-shape.js';

/** Options of `RandomFourierFeatures`. */
export interface RandomFourierFeaturesLayerOptions {
  /** Number of random frequencies D; the output has 2D features (cos and sin). */
  frequencies: number;
  /** Kernel bandwidth: frequencies ω ~ N(0, I/σ²) (default 1). */
  sigma?: number;
}

/**
 * Random Fourier features (Rahimi & Recht) for the Gaussian kernel: fixed frequencies Ω [D, d]
 * drawn at init and kept in `state` (not trained); φ(x) = √(1/D)·[cos(Ωx), sin(Ωx)], so
 * ⟨φ(x), φ(y)⟩ ≈ exp(−‖x − y‖²/(2σ²)). Follow it with `Dense` for the trainable head.
 */
export function RandomFourierFeatures(options: RandomFourierFeaturesLayerOptions): Module<Record<string, never>, { omega: Tensor }> {
  const { frequencies: D, sigma } = checkOptions(
    'RandomFourierFeatures',
    options,
    { frequencies: option.int(1).required(), sigma: option.number({ above: 0 }).default(1) },
    { hint: positionalHint('RandomFourierFeatures', 'frequencies') },
  );
  return {
    name: `RandomFourierFeatures(${D})`,
    init: (key: Key, inputShape, o = {}) => {
      checkInputShape('RandomFourierFeatures', inputShape, 1, '[d]');
      const omega = mul(randn(key, [D, inputShape[0]!], { dtype: o.dtype ?? 'float32' }), 1 / sigma);
      return { params: {}, state: { omega }, outputShape: [2 * D] };
    },
    apply: (_params, x, ctx) => {
      const omega = ctx?.state?.omega;
      if (!omega) throw new TypeError('RandomFourierFeatures: apply needs ctx.state with the frequencies from init');
      if (x.rank !== 2 || x.shape[1] !== omega.shape[1]) throw new RangeError(`RandomFourierFeatures: input must be [N, ${omega.shape[1]}], got ${fmtShape(x.shape)}`);
      const z = matmul(x, transpose(omega));
      return mul(concat([cos(z), sin(z)], 1), Math.sqrt(1 / D));
    },
  };
}
