import { chain } from '../chain.js';
import { scaleByAdam } from '../transforms/scale-by-adam.js';
import { scaleByAmsgrad } from '../transforms/scale-by-amsgrad.js';
import type { GradientTransformation, State } from '../types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { betasOpt, lrHint, positiveOpt } from '../validate.js';
import { type TorchCommon, descend, torchCommon, torchGradient, named } from './common.js';

export interface AdamOptions extends TorchCommon {
  betas?: [number, number];
  eps?: number;
  amsgrad?: boolean;
}

/** @internal Validates Adam's options, naming the preset; returns them with defaults filled in. */
export function adamOptions(where: string, options: AdamOptions | undefined, defaultDecay: number) {
  const { lr, betas, eps, weightDecay, amsgrad, maximize } = checkOptions(
    where,
    options,
    { ...torchCommon(1e-3, defaultDecay), betas: betasOpt().default([0.9, 0.999]), eps: positiveOpt().default(1e-8), amsgrad: option.boolean().default(false) },
    { hint: lrHint(where) },
  );
  const [b1, b2] = betas;
  const scaling = amsgrad ? scaleByAmsgrad({ b1, b2, eps }) : scaleByAdam({ b1, b2, eps });
  return { lr, weightDecay, maximize, scaling };
}

/** torch.optim.Adam as chain(scale(−1) if maximize, addDecayedWeights, scaleByAdam (amsgrad: scaleByAmsgrad), scaleByLearningRate). */
export function adam(options?: AdamOptions): GradientTransformation<State[]> {
  const { lr, weightDecay, maximize, scaling } = adamOptions('adam', options, 0);
  return named('adam', chain(...torchGradient(weightDecay, maximize), scaling, descend('adam', lr)));
}
