import { chain } from '../chain.js';
import { scaleByNadam } from '../transforms/scale-by-nadam.js';
import type { GradientTransformation, State } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { betasOpt, lrHint, nonNegativeOpt, positiveOpt } from '../validate.js';
import { type TorchCommon, descend, torchCommon, torchGradient, named } from './common.js';

export interface NadamOptions extends Omit<TorchCommon, 'maximize'> {
  betas?: [number, number];
  eps?: number;
  momentumDecay?: number;
}

/** torch.optim.NAdam (Dozat) as chain(addDecayedWeights, scaleByNadam, scaleByLearningRate). */
export function nadam(options?: NadamOptions): GradientTransformation<State[]> {
  const { lr, weightDecay } = torchCommon(2e-3);
  const o = checkOptions(
    'nadam',
    options,
    { lr, weightDecay, betas: betasOpt().default([0.9, 0.999]), eps: positiveOpt().default(1e-8), momentumDecay: nonNegativeOpt().default(4e-3) },
    { hint: lrHint('nadam') },
  );
  const [b1, b2] = o.betas;
  const { eps, momentumDecay } = o;
  return named('nadam', chain(...torchGradient(o.weightDecay, false), scaleByNadam({ b1, b2, eps, momentumDecay }), descend('nadam', o.lr)));
}
