import { chain } from '../chain.js';
import { scaleByRadam } from '../transforms/scale-by-radam.js';
import type { GradientTransformation, State } from '../types.js';
import { betaPair, knownKeys, positive } from '../validate.js';
import { type TorchCommon, checkCommon, descend, torchGradient } from './common.js';

export interface RadamOptions extends Omit<TorchCommon, 'maximize'> {
  betas?: [number, number];
  eps?: number;
}

/** torch.optim.RAdam (Liu et al.) as chain(addDecayedWeights, scaleByRadam, scaleByLearningRate). */
export function radam(options: RadamOptions = {}): GradientTransformation<State[]> {
  knownKeys('radam', options, { lr: true, weightDecay: true, betas: true, eps: true });
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0 } = options;
  checkCommon('radam', lr, weightDecay);
  const [b1, b2] = betaPair('radam', betas);
  positive('radam', 'eps', eps);
  return chain(...torchGradient(weightDecay, false), scaleByRadam({ b1, b2, eps }), descend('radam', lr));
}
