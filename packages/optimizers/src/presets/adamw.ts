import type { GradientTransformation } from '../types.js';
import { type AdamOptions, type AdamState, adamFamily } from './adam.js';

/** torch.optim.AdamW: Adam with decoupled weight decay p ← p·(1 − lr·weightDecay), default weightDecay 0.01. */
export function adamw(options: AdamOptions = {}): GradientTransformation<AdamState> {
  return adamFamily('adamw', options, 1e-2);
}
