import { chain } from '../chain.js';
import { scaleByRadam } from '../transforms/scale-by-radam.js';
import type { GradientTransformation, State } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { betasOpt, lrHint, positiveOpt } from '../validate.js';
import { type TorchCommon, descend, torchCommon, torchGradient, named } from './common.js';

export interface RadamOptions extends Omit<TorchCommon, 'maximize'> {
  betas?: [number, number];
  eps?: number;
}

/** torch.optim.RAdam (Liu et al.) as chain(addDecayedWeights, scaleByRadam, scaleByLearningRate). */
export function radam(options?: RadamOptions): GradientTransformation<State[]> {
  const common = torchCommon(1e-3);
  const { lr, betas, eps, weightDecay } = checkOptions('radam', options, { lr: common.lr, weightDecay: common.weightDecay, betas: betasOpt().default([0.9, 0.999]), eps: positiveOpt().default(1e-8) }, { hint: lrHint('radam') });
  const [b1, b2] = betas;
  return named('radam', chain(...torchGradient(weightDecay, false), scaleByRadam({ b1, b2, eps }), descend('radam', lr)));
}
