import { chain } from '../chain.js';
import { scaleByAdamax } from '../transforms/scale-by-adamax.js';
import type { GradientTransformation, State } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { betasOpt, lrHint, positiveOpt } from '../validate.js';
import { type TorchCommon, descend, torchCommon, torchGradient, named } from './common.js';

export interface AdamaxOptions extends TorchCommon {
  betas?: [number, number];
  eps?: number;
}

/** torch.optim.Adamax as chain(scale(−1) if maximize, addDecayedWeights, scaleByAdamax, scaleByLearningRate). */
export function adamax(options?: AdamaxOptions): GradientTransformation<State[]> {
  const { lr, betas, eps, weightDecay, maximize } = checkOptions('adamax', options, { ...torchCommon(2e-3), betas: betasOpt().default([0.9, 0.999]), eps: positiveOpt().default(1e-8) }, { hint: lrHint('adamax') });
  const [b1, b2] = betas;
  return named('adamax', chain(...torchGradient(weightDecay, maximize), scaleByAdamax({ b1, b2, eps }), descend('adamax', lr)));
}
