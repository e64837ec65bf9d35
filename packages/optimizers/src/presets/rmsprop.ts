import { chain } from '../chain.js';
import { scaleByRms } from '../transforms/scale-by-rms.js';
import { scaleByStddev } from '../transforms/scale-by-stddev.js';
import { traceMomentum } from '../transforms/trace-momentum.js';
import type { GradientTransformation, State } from '../types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { lrHint, nonNegativeOpt, positiveOpt, unitOpt } from '../validate.js';
import { type TorchCommon, descend, torchCommon, torchGradient, named } from './common.js';

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
export function rmsprop(options?: RmspropOptions): GradientTransformation<State[]> {
  const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = checkOptions(
    'rmsprop',
    options,
    { ...torchCommon(1e-2), alpha: unitOpt().default(0.99), eps: positiveOpt().default(1e-8), momentum: nonNegativeOpt().default(0), centered: option.boolean().default(false) },
    { hint: lrHint('rmsprop') },
  );
  const scaling = centered ? scaleByStddev({ decay: alpha, eps }) : scaleByRms({ decay: alpha, eps });
  const heavyBall = momentum > 0 ? [traceMomentum({ decay: momentum })] : [];
  return named('rmsprop', chain(...torchGradient(weightDecay, maximize), scaling, ...heavyBall, descend('rmsprop', lr)));
}
