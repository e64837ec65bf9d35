import { chain } from '../chain.js';
import { addDecayedWeights } from '../transforms/add-decayed-weights.js';
import { scaleByLion } from '../transforms/scale-by-lion.js';
import type { GradientTransformation, State } from '../types.js';
import { betaPair, knownKeys } from '../validate.js';
import { type TorchCommon, checkCommon, descend } from './common.js';

export interface LionOptions extends Omit<TorchCommon, 'maximize'> {
  betas?: [number, number];
}

/** Lion (Chen et al. 2023) as chain(scaleByLion, addDecayedWeights, scaleByLearningRate): decoupled weight decay. */
export function lion(options: LionOptions = {}): GradientTransformation<State[]> {
  knownKeys('lion', options, { lr: true, weightDecay: true, betas: true });
  const { lr = 1e-4, betas = [0.9, 0.99], weightDecay = 0 } = options;
  checkCommon('lion', lr, weightDecay);
  const [b1, b2] = betaPair('lion', betas);
  return chain(scaleByLion({ b1, b2 }), addDecayedWeights({ weightDecay }), descend('lion', lr));
}
