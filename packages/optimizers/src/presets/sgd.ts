import { chain } from '../chain.js';
import { traceMomentum } from '../transforms/trace-momentum.js';
import type { GradientTransformation, State } from '../types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { lrHint, nonNegativeOpt } from '../validate.js';
import { type TorchCommon, descend, torchCommon, torchGradient, named } from './common.js';

export interface SgdOptions extends TorchCommon {
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
}

/**
 * torch.optim.SGD as chain(scale(−1) if maximize, addDecayedWeights, traceMomentum if momentum ≠ 0,
 * scaleByLearningRate): heavy-ball momentum whose buffer starts at the first gradient; Nesterov in torch's form.
 */
export function sgd(options?: SgdOptions): GradientTransformation<State[]> {
  const { lr, momentum, dampening, nesterov, weightDecay, maximize } = checkOptions(
    'sgd',
    options,
    { ...torchCommon(1e-3), momentum: nonNegativeOpt().default(0), dampening: nonNegativeOpt().default(0), nesterov: option.boolean().default(false) },
    { hint: lrHint('sgd') },
  );
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new RangeError(`sgd: nesterov needs momentum > 0 and dampening = 0, got momentum ${momentum}, dampening ${dampening}`);
  }
  const heavyBall = momentum !== 0 ? [traceMomentum({ decay: momentum, dampening, nesterov })] : [];
  return named('sgd', chain(...torchGradient(weightDecay, maximize), ...heavyBall, descend('sgd', lr)));
}
