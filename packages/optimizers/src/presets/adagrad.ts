import { chain } from '../chain.js';
import { scaleByAccumulatedSquares } from '../transforms/scale-by-accumulated-squares.js';
import type { GradientTransformation, State } from '../types.js';
import { knownKeys, nonNegative, positive } from '../validate.js';
import { COMMON_KEYS, type TorchCommon, checkCommon, descend, torchGradient } from './common.js';

export interface AdagradOptions extends TorchCommon {
  lrDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}

/** torch.optim.Adagrad as chain(scale(−1) if maximize, addDecayedWeights, scaleByAccumulatedSquares, scaleByLearningRate(lr/(1 + t·lrDecay))). */
export function adagrad(options: AdagradOptions = {}): GradientTransformation<State[]> {
  knownKeys('adagrad', options, { ...COMMON_KEYS, lrDecay: true, initialAccumulatorValue: true, eps: true });
  const { lr = 1e-2, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10, maximize = false } = options;
  checkCommon('adagrad', lr, weightDecay, maximize);
  nonNegative('adagrad', 'lrDecay', lrDecay);
  nonNegative('adagrad', 'initialAccumulatorValue', initialAccumulatorValue);
  positive('adagrad', 'eps', eps);
  const decayed = lrDecay !== 0 ? (count: number) => 1 + count * lrDecay : undefined;
  return chain(...torchGradient(weightDecay, maximize), scaleByAccumulatedSquares({ eps, initialAccumulatorValue }), descend('adagrad', lr, decayed));
}
