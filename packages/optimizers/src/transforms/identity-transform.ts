import type { GradientTransformation } from '../types.js';

/** Passes the gradients through unchanged (φ(g₁..gₜ) = gₜ in the uniform framework). */
export function identityTransform(): GradientTransformation<Record<string, never>> {
  return { init: () => ({}), update: (grads, state) => ({ updates: grads, state }) };
}
