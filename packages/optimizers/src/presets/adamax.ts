import { chain } from '../chain.js';
import { scaleByAdamax } from '../transforms/scale-by-adamax.js';
import type { GradientTransformation, State } from '../types.js';
import { betaPair, knownKeys, positive } from '../validate.js';
import { COMMON_KEYS, type TorchCommon, checkCommon, descend, torchGradient } from './common.js';

export interface AdamaxOptions extends TorchCommon {
  betas?: [number, number];
  eps?: number;
}

/** torch.optim.Adamax as chain(scale(−1) if maximize, addDecayedWeights, scaleByAdamax, scaleByLearningRate). */
export function adamax(options: AdamaxOptions = {}): GradientTransformation<State[]> {
  knownKeys('adamax', options, { ...COMMON_KEYS, betas: true, eps: true });
  const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, maximize = false } = options;
  checkCommon('adamax', lr, weightDecay, maximize);
  const [b1, b2] = betaPair('adamax', betas);
  positive('adamax', 'eps', eps);
  return chain(...torchGradient(weightDecay, maximize), scaleByAdamax({ b1, b2, eps }), descend('adamax', lr));
}
