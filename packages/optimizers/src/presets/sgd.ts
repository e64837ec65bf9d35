import { chain } from '../chain.js';
import { traceMomentum } from '../transforms/trace-momentum.js';
import type { GradientTransformation, State } from '../types.js';
import { bool, knownKeys, nonNegative } from '../validate.js';
import { COMMON_KEYS, type TorchCommon, checkCommon, descend, torchGradient } from './common.js';

export interface SgdOptions extends TorchCommon {
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
}

/**
 * torch.optim.SGD as chain(scale(−1) if maximize, addDecayedWeights, traceMomentum if momentum ≠ 0,
 * scaleByLearningRate): heavy-ball momentum whose buffer starts at the first gradient; Nesterov in torch's form.
 */
export function sgd(options: SgdOptions = {}): GradientTransformation<State[]> {
  knownKeys('sgd', options, { ...COMMON_KEYS, momentum: true, dampening: true, nesterov: true });
  const { lr = 1e-3, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0, maximize = false } = options;
  checkCommon('sgd', lr, weightDecay, maximize);
  nonNegative('sgd', 'momentum', momentum);
  nonNegative('sgd', 'dampening', dampening);
  bool('sgd', 'nesterov', nesterov);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new RangeError(`sgd: nesterov needs momentum > 0 and dampening = 0, got momentum ${momentum}, dampening ${dampening}`);
  }
  const heavyBall = momentum !== 0 ? [traceMomentum({ decay: momentum, dampening, nesterov })] : [];
  return chain(...torchGradient(weightDecay, maximize), ...heavyBall, descend('sgd', lr));
}
