import { chain } from '../chain.js';
import { addDecayedWeights } from '../transforms/add-decayed-weights.js';
import { scale } from '../transforms/scale.js';
import type { GradientTransformation, State } from '../types.js';
import { type AdamOptions, adamOptions } from './adam.js';
import { descend, named } from './common.js';

/**
 * torch.optim.AdamW as chain(scale(−1) if maximize, scaleByAdam (amsgrad: scaleByAmsgrad),
 * addDecayedWeights, scaleByLearningRate): decoupled decay −lr·weightDecay·p, default weightDecay 0.01.
 */
export function adamw(options?: AdamOptions): GradientTransformation<State[]> {
  const { lr, weightDecay, maximize, scaling } = adamOptions('adamw', options, 1e-2);
  return named('adamw', chain(...(maximize ? [scale(-1)] : []), scaling, addDecayedWeights({ weightDecay }), descend('adamw', lr)));
}
