import { chain } from '../chain.js';
import { scaleByAdadelta } from '../transforms/scale-by-adadelta.js';
import type { GradientTransformation, State } from '../types.js';
import { knownKeys, positive, unitInterval } from '../validate.js';
import { COMMON_KEYS, type TorchCommon, checkCommon, descend, torchGradient } from './common.js';

export interface AdadeltaOptions extends TorchCommon {
  rho?: number;
  eps?: number;
}

/** torch.optim.Adadelta as chain(scale(−1) if maximize, addDecayedWeights, scaleByAdadelta, scaleByLearningRate). */
export function adadelta(options: AdadeltaOptions = {}): GradientTransformation<State[]> {
  knownKeys('adadelta', options, { ...COMMON_KEYS, rho: true, eps: true });
  const { lr = 1, rho = 0.9, eps = 1e-6, weightDecay = 0, maximize = false } = options;
  checkCommon('adadelta', lr, weightDecay, maximize);
  unitInterval('adadelta', 'rho', rho);
  positive('adadelta', 'eps', eps);
  return chain(...torchGradient(weightDecay, maximize), scaleByAdadelta({ rho, eps }), descend('adadelta', lr));
}
