import { chain } from '../chain.js';
import { addDecayedWeights } from '../transforms/add-decayed-weights.js';
import { scaleByLion } from '../transforms/scale-by-lion.js';
import type { GradientTransformation, State } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { betasOpt, lrHint } from '../validate.js';
import { type TorchCommon, descend, torchCommon, named } from './common.js';

export interface LionOptions extends Omit<TorchCommon, 'maximize'> {
  betas?: [number, number];
}

/** Lion (Chen et al. 2023) as chain(scaleByLion, addDecayedWeights, scaleByLearningRate): decoupled weight decay. */
export function lion(options?: LionOptions): GradientTransformation<State[]> {
  const common = torchCommon(1e-4);
  const { lr, betas, weightDecay } = checkOptions('lion', options, { lr: common.lr, weightDecay: common.weightDecay, betas: betasOpt().default([0.9, 0.99]) }, { hint: lrHint('lion') });
  const [b1, b2] = betas;
  return named('lion', chain(scaleByLion({ b1, b2 }), addDecayedWeights({ weightDecay }), descend('lion', lr)));
}
