import { type Tensor, add, div, mean, mul, ones, reshape, sqrt, square, sub, zeros } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { checkContext } from './options.js';
import type { Module } from './module.js';

/** Options of `BatchNorm`. */
export interface BatchNormLayerOptions {
  /** Weight of the new batch statistic in the running average (PyTorch's convention, default 0.1). */
  momentum?: number;
  eps?: number;
  /** Learnable scale γ and shift β (default true). */
  affine?: boolean;
}

/** Running statistics of `BatchNorm`, per channel. */
export interface BatchNormState {
  mean: Tensor;
  var: Tensor;
}

/**
 * Batch normalization over every axis but the channel axis 1 ([N, C] or [N, C, ...spatial]), as
 * PyTorch's BatchNorm1d/2d. Training normalizes with the batch mean and biased variance and
 * writes new running statistics to `ctx.state`: running ← (1 − m)·running + m·batch, with the
 * unbiased variance. Inference (`train: false`) uses the running statistics.
 */
export function BatchNorm(options?: BatchNormLayerOptions): Module<{ gamma?: Tensor; beta?: Tensor }, BatchNormState> {
  const { momentum, eps, affine } = checkOptions('BatchNorm', options, {
    momentum: option.number({ min: 0, max: 1 }).default(0.1),
    eps: option.number({ above: 0 }).default(1e-5),
    affine: option.boolean().default(true),
  });
  const name = 'BatchNorm';
  return {
    name,
    init: (_key, inputShape, o = {}) => {
      if (inputShape.length < 1) throw new RangeError(`${name}: inputShape must start with the channel axis, got ${fmtShape(inputShape)}`);
      const c = inputShape[0]!;
      const dtype = o.dtype ?? 'float32';
      const params = affine ? { gamma: ones([c], dtype), beta: zeros([c], dtype) } : {};
      return { params, state: { mean: zeros([c], dtype), var: ones([c], dtype) }, outputShape: [...inputShape] };
    },
    apply: (params, x, ctx) => {
      checkContext(name, ctx);
      if (!ctx?.state?.mean) throw new TypeError(`${name}: apply needs ctx = { train, state } with the state from init`);
      const c = ctx.state.mean.shape[0]!;
      if (x.rank < 2 || x.shape[1] !== c) throw new RangeError(`${name}: input must be [N, ${c}, ...], got ${fmtShape(x.shape)}`);
      const bshape = [1, c, ...Array(x.rank - 2).fill(1)];
      const axes = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2)];
      let mu: Tensor;
      let variance: Tensor;
      if (ctx.train) {
        const count = x.size / c;
        if (count < 2) throw new RangeError(`${name}: training needs more than one value per channel, got input ${fmtShape(x.shape)}`);
        mu = mean(x, { axis: axes, keepdims: true });
        variance = mean(square(sub(x, mu)), { axis: axes, keepdims: true });
        const batchMean = reshape(mu, [c]);
        const unbiased = mul(reshape(variance, [c]), count / (count - 1));
        ctx.state = {
          mean: add(mul(ctx.state.mean, 1 - momentum), mul(batchMean, momentum)),
          var: add(mul(ctx.state.var, 1 - momentum), mul(unbiased, momentum)),
        };
      } else {
        mu = reshape(ctx.state.mean, bshape);
        variance = reshape(ctx.state.var, bshape);
      }
      let y = div(sub(x, mu), sqrt(add(variance, eps)));
      if (params.gamma) y = mul(y, reshape(params.gamma, bshape));
      if (params.beta) y = add(y, reshape(params.beta, bshape));
      return y;
    },
  };
}
