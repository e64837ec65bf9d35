// The optimizers of seed 003 ("The use of momentum in stochastic methods"), each written in the
// uniform framework as that report defines it: ζ (look-ahead), φ (first moment), ψ (second moment).
import { demonDecay } from '../schedules/demon.js';
import { accumulate } from '../transforms/accumulate.js';
import { emaMoment } from '../transforms/ema-moment.js';
import { identityTransform } from '../transforms/identity-transform.js';
import { quasiHyperbolic } from '../transforms/quasi-hyperbolic.js';
import type { GradientTransformation, ScalarOrSchedule } from '../types.js';
import { knownKeys } from '../validate.js';
import { type UniformFrameworkState, adaptiveLookahead, momentumLookahead, uniformFramework } from '../uniform-framework.js';

type Seed = GradientTransformation<UniformFrameworkState>;

/** SGD (§2.1): ζ = w, m = g, V = I. */
export function seedSgd(o: { lr: ScalarOrSchedule }): Seed {
  knownKeys('seedSgd', o, { lr: true });
  return uniformFramework({ firstMoment: identityTransform(), lr: o.lr });
}

/** SGDM (§2.2): m = EMA of g with weight 1 − β₁ (m₀ = 0, or m₁ = g₁ with `init: 'firstGradient'`). */
export function seedSgdm(o: { lr: ScalarOrSchedule; beta1?: number; init?: 'zeros' | 'firstGradient' }): Seed {
  knownKeys('seedSgdm', o, { lr: true, beta1: true, init: true });
  return uniformFramework({ firstMoment: emaMoment({ decay: o.beta1 ?? 0.9, init: o.init }), lr: o.lr });
}

/** SGD-NAG (§2.3): SGDM with the gradient taken at ζ = w − α·mₜ₋₁. */
export function seedNag(o: { lr: ScalarOrSchedule; beta1?: number }): Seed {
  knownKeys('seedNag', o, { lr: true, beta1: true });
  return uniformFramework({ lookahead: momentumLookahead, firstMoment: emaMoment({ decay: o.beta1 ?? 0.9 }), lr: o.lr });
}

/** AdaGrad (§3): m = g, V = Σ g². */
export function seedAdagrad(o: { lr: ScalarOrSchedule; eps?: number }): Seed {
  knownKeys('seedAdagrad', o, { lr: true, eps: true });
  return uniformFramework({ firstMoment: identityTransform(), secondMoment: accumulate(), lr: o.lr, eps: o.eps });
}

/** AdaDelta (§3.1, as the report writes it): m = g, V = EMA of g² with weight 1 − β₂ — the same form as RMSProp. */
export function seedAdadelta(o: { lr: ScalarOrSchedule; beta2?: number; eps?: number }): Seed {
  knownKeys('seedAdadelta', o, { lr: true, beta2: true, eps: true });
  return uniformFramework({ firstMoment: identityTransform(), secondMoment: emaMoment({ decay: o.beta2 ?? 0.9 }), lr: o.lr, eps: o.eps });
}

/** RMSProp (§3.1): identical in the framework to the report's AdaDelta. */
export function seedRmsprop(o: { lr: ScalarOrSchedule; beta2?: number; eps?: number }): Seed {
  knownKeys('seedRmsprop', o, { lr: true, beta2: true, eps: true });
  return seedAdadelta(o);
}

/** Adam (§3.2): bias-corrected EMAs m/(1 − β₁ᵗ), V/(1 − β₂ᵗ). */
export function seedAdam(o: { lr: ScalarOrSchedule; beta1?: number; beta2?: number; eps?: number }): Seed {
  knownKeys('seedAdam', o, { lr: true, beta1: true, beta2: true, eps: true });
  return uniformFramework({
    firstMoment: emaMoment({ decay: o.beta1 ?? 0.9, debias: true }),
    secondMoment: emaMoment({ decay: o.beta2 ?? 0.999, debias: true }),
    lr: o.lr,
    eps: o.eps,
  });
}

/**
 * NAdam (§3.3): Adam with the gradient at ζ = w − α·mₜ₋₁/√Vₜ₋₁ (the previous step repeated);
 * `lookaheadPower: 1` uses the report's literal mₜ₋₁/Vₜ₋₁.
 */
export function seedNadam(o: { lr: ScalarOrSchedule; beta1?: number; beta2?: number; eps?: number; lookaheadPower?: 0.5 | 1 }): Seed {
  knownKeys('seedNadam', o, { lr: true, beta1: true, beta2: true, eps: true, lookaheadPower: true });
  return uniformFramework({
    lookahead: adaptiveLookahead({ power: o.lookaheadPower ?? 0.5 }),
    firstMoment: emaMoment({ decay: o.beta1 ?? 0.9, debias: true }),
    secondMoment: emaMoment({ decay: o.beta2 ?? 0.999, debias: true }),
    lr: o.lr,
    eps: o.eps,
  });
}

/** QHM (§6): SGDM whose step uses ν·mₜ + (1 − ν)·gₜ. */
export function seedQhm(o: { lr: ScalarOrSchedule; beta1?: number; nu?: number }): Seed {
  knownKeys('seedQhm', o, { lr: true, beta1: true, nu: true });
  return uniformFramework({ firstMoment: quasiHyperbolic({ beta: o.beta1 ?? 0.999, nu: o.nu ?? 0.7 }), lr: o.lr });
}

/** DEMON (§6): SGDM with β₁ decaying to 0 over `totalSteps` (see `demonDecay`). */
export function seedDemon(o: { lr: ScalarOrSchedule; beta1?: number; totalSteps: number }): Seed {
  knownKeys('seedDemon', o, { lr: true, beta1: true, totalSteps: true });
  return uniformFramework({ firstMoment: emaMoment({ decay: demonDecay({ betaInit: o.beta1 ?? 0.9, totalSteps: o.totalSteps }) }), lr: o.lr });
}
