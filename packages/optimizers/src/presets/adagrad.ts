import { chain } from '../chain.js';
import { scaleByAccumulatedSquares } from '../transforms/scale-by-accumulated-squares.js';
import type { GradientTransformation, State } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { lrHint, nonNegativeOpt, positiveOpt } from '../validate.js';
import { type TorchCommon, descend, torchCommon, torchGradient, named } from './common.js';

export interface AdagradOptions extends TorchCommon {
  lrDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}

/** torch.optim.Adagrad as chain(scale(−1) if maximize, addDecayedWeights, scaleByAccumulatedSquares, scaleByLearningRate(lr/(1 + t·lrDecay))). */
export function adagrad(options?: AdagradOptions): GradientTransformation<State[]> {
  const { lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize } = checkOptions(
    'adagrad',
    options,
    { ...torchCommon(1e-2), lrDecay: nonNegativeOpt().default(0), initialAccumulatorValue: nonNegativeOpt().default(0), eps: positiveOpt().default(1e-10) },
    { hint: lrHint('adagrad') },
  );
  const decayed = lrDecay !== 0 ? (count: number) => 1 + count * lrDecay : undefined;
  return named('adagrad', chain(...torchGradient(weightDecay, maximize), scaleByAccumulatedSquares({ eps, initialAccumulatorValue }), descend('adagrad', lr, decayed)));
}
