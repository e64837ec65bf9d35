import { chain } from '../chain.js';
import { scaleByAdadelta } from '../transforms/scale-by-adadelta.js';
import type { GradientTransformation, State } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { lrHint, positiveOpt, unitOpt } from '../validate.js';
import { type TorchCommon, descend, torchCommon, torchGradient, named } from './common.js';

export interface AdadeltaOptions extends TorchCommon {
  rho?: number;
  eps?: number;
}

/** torch.optim.Adadelta as chain(scale(−1) if maximize, addDecayedWeights, scaleByAdadelta, scaleByLearningRate). */
export function adadelta(options?: AdadeltaOptions): GradientTransformation<State[]> {
  const { lr, rho, eps, weightDecay, maximize } = checkOptions('adadelta', options, { ...torchCommon(1), rho: unitOpt().default(0.9), eps: positiveOpt().default(1e-6) }, { hint: lrHint('adadelta') });
  return named('adadelta', chain(...torchGradient(weightDecay, maximize), scaleByAdadelta({ rho, eps }), descend('adadelta', lr)));
}
