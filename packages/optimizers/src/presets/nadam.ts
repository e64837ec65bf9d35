import { chain } from '../chain.js';
import { scaleByNadam } from '../transforms/scale-by-nadam.js';
import type { GradientTransformation, State } from '../types.js';
import { betaPair, knownKeys, nonNegative, positive } from '../validate.js';
import { type TorchCommon, checkCommon, descend, torchGradient } from './common.js';

export interface NadamOptions extends Omit<TorchCommon, 'maximize'> {
  betas?: [number, number];
  eps?: number;
  momentumDecay?: number;
}

/** torch.optim.NAdam (Dozat) as chain(addDecayedWeights, scaleByNadam, scaleByLearningRate). */
export function nadam(options: NadamOptions = {}): GradientTransformation<State[]> {
  knownKeys('nadam', options, { lr: true, weightDecay: true, betas: true, eps: true, momentumDecay: true });
  const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, momentumDecay = 4e-3 } = options;
  checkCommon('nadam', lr, weightDecay);
  const [b1, b2] = betaPair('nadam', betas);
  positive('nadam', 'eps', eps);
  nonNegative('nadam', 'momentumDecay', momentumDecay);
  return chain(...torchGradient(weightDecay, false), scaleByNadam({ b1, b2, eps, momentumDecay }), descend('nadam', lr));
}
