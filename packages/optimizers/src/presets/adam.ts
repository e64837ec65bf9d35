import { chain } from '../chain.js';
import { scaleByAdam } from '../transforms/scale-by-adam.js';
import { scaleByAmsgrad } from '../transforms/scale-by-amsgrad.js';
import type { GradientTransformation, State } from '../types.js';
import { betaPair, bool, knownKeys, positive } from '../validate.js';
import { COMMON_KEYS, type TorchCommon, checkCommon, descend, torchGradient } from './common.js';

export interface AdamOptions extends TorchCommon {
  betas?: [number, number];
  eps?: number;
  amsgrad?: boolean;
}

/** @internal Validates Adam's options, naming the preset; returns them with defaults filled in. */
export function adamOptions(where: string, options: AdamOptions, defaultDecay: number) {
  knownKeys(where, options, { ...COMMON_KEYS, betas: true, eps: true, amsgrad: true });
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = defaultDecay, amsgrad = false, maximize = false } = options;
  checkCommon(where, lr, weightDecay, maximize);
  const [b1, b2] = betaPair(where, betas);
  positive(where, 'eps', eps);
  bool(where, 'amsgrad', amsgrad);
  const scaling = amsgrad ? scaleByAmsgrad({ b1, b2, eps }) : scaleByAdam({ b1, b2, eps });
  return { lr, weightDecay, maximize, scaling };
}

/** torch.optim.Adam as chain(scale(−1) if maximize, addDecayedWeights, scaleByAdam (amsgrad: scaleByAmsgrad), scaleByLearningRate). */
export function adam(options: AdamOptions = {}): GradientTransformation<State[]> {
  const { lr, weightDecay, maximize, scaling } = adamOptions('adam', options, 0);
  return chain(...torchGradient(weightDecay, maximize), scaling, descend('adam', lr));
}
