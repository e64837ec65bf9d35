import { chain } from '../chain.js';
import { scaleByRms } from '../transforms/scale-by-rms.js';
import { scaleByStddev } from '../transforms/scale-by-stddev.js';
import { traceMomentum } from '../transforms/trace-momentum.js';
import type { GradientTransformation, State } from '../types.js';
import { bool, knownKeys, nonNegative, positive, unitInterval } from '../validate.js';
import { COMMON_KEYS, type TorchCommon, checkCommon, descend, torchGradient } from './common.js';

export interface RmspropOptions extends TorchCommon {
  alpha?: number;
  eps?: number;
  momentum?: number;
  centered?: boolean;
}

/**
 * torch.optim.RMSprop as chain(scale(−1) if maximize, addDecayedWeights, scaleByRms (centered:
 * scaleByStddev), traceMomentum if momentum > 0, scaleByLearningRate).
 */
export function rmsprop(options: RmspropOptions = {}): GradientTransformation<State[]> {
  knownKeys('rmsprop', options, { ...COMMON_KEYS, alpha: true, eps: true, momentum: true, centered: true });
  const { lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false, maximize = false } = options;
  checkCommon('rmsprop', lr, weightDecay, maximize);
  unitInterval('rmsprop', 'alpha', alpha);
  positive('rmsprop', 'eps', eps);
  nonNegative('rmsprop', 'momentum', momentum);
  bool('rmsprop', 'centered', centered);
  const scaling = centered ? scaleByStddev({ decay: alpha, eps }) : scaleByRms({ decay: alpha, eps });
  const heavyBall = momentum > 0 ? [traceMomentum({ decay: momentum })] : [];
  return chain(...torchGradient(weightDecay, maximize), scaling, ...heavyBall, descend('rmsprop', lr));
}
