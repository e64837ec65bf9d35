// The optimizers of seed 003 ("The use of momentum in stochastic methods"), each written in the
// uniform framework as that report defines it: ζ (look-ahead), φ (first moment), ψ (second moment).
import { demonDecay } from '../schedules/demon.js';
import { accumulate } from '../transforms/accumulate.js';
import { emaMoment } from '../transforms/ema-moment.js';
import { identityTransform } from '../transforms/identity-transform.js';
import { quasiHyperbolic } from '../transforms/quasi-hyperbolic.js';
import type { GradientTransformation, ScalarOrSchedule } from '../types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { lrHint, positiveOpt, rateOrScheduleOpt, unitOpt, closedUnitOpt } from '../validate.js';
import { type UniformFrameworkState, adaptiveLookahead, momentumLookahead, uniformFramework } from '../uniform-framework.js';

type Seed = GradientTransformation<UniformFrameworkState>;

// Each seed form declares every option it takes, so a bad value is reported by the seed form
// called (not by the transform it builds).
const LR = rateOrScheduleOpt().required();
const BETA = unitOpt();
const EPS = positiveOpt();
const seed = <T extends object>(where: string, o: T, spec: Parameters<typeof checkOptions<T, any>>[2]) => checkOptions(where, o, spec, { hint: lrHint(where) }) as T;

/** SGD (§2.1): ζ = w, m = g, V = I. */
export function seedSgd(o: { lr: ScalarOrSchedule }): Seed {
  o = seed('seedSgd', o, { lr: LR });
  return uniformFramework({ firstMoment: identityTransform(), lr: o.lr });
}

/** SGDM (§2.2): m = EMA of g with weight 1 − β₁ (m₀ = 0, or m₁ = g₁ with `init: 'firstGradient'`). */
export function seedSgdm(o: { lr: ScalarOrSchedule; beta1?: number; init?: 'zeros' | 'firstGradient' }): Seed {
  o = seed('seedSgdm', o, { lr: LR, beta1: BETA, init: option.oneOf(['zeros', 'firstGradient']) });
  return uniformFramework({ firstMoment: emaMoment({ decay: o.beta1 ?? 0.9, init: o.init }), lr: o.lr });
}

/** SGD-NAG (§2.3): SGDM with the gradient taken at ζ = w − α·mₜ₋₁. */
export function seedNag(o: { lr: ScalarOrSchedule; beta1?: number }): Seed {
  o = seed('seedNag', o, { lr: LR, beta1: BETA });
  return uniformFramework({ lookahead: momentumLookahead, firstMoment: emaMoment({ decay: o.beta1 ?? 0.9 }), lr: o.lr });
}

/** AdaGrad (§3): m = g, V = Σ g². */
export function seedAdagrad(o: { lr: ScalarOrSchedule; eps?: number }): Seed {
  o = seed('seedAdagrad', o, { lr: LR, eps: EPS });
  return uniformFramework({ firstMoment: identityTransform(), secondMoment: accumulate(), lr: o.lr, eps: o.eps });
}

/** AdaDelta (§3.1, as the report writes it): m = g, V = EMA of g² with weight 1 − β₂ — the same form as RMSProp. */
export function seedAdadelta(o: { lr: ScalarOrSchedule; beta2?: number; eps?: number }): Seed {
  o = seed('seedAdadelta', o, { lr: LR, beta2: BETA, eps: EPS });
  return uniformFramework({ firstMoment: identityTransform(), secondMoment: emaMoment({ decay: o.beta2 ?? 0.9 }), lr: o.lr, eps: o.eps });
}

/** RMSProp (§3.1): identical in the framework to the report's AdaDelta. */
export function seedRmsprop(o: { lr: ScalarOrSchedule; beta2?: number; eps?: number }): Seed {
  o = seed('seedRmsprop', o, { lr: LR, beta2: BETA, eps: EPS });
  return seedAdadelta(o);
}

/** Adam (§3.2): bias-corrected EMAs m/(1 − β₁ᵗ), V/(1 − β₂ᵗ). */
export function seedAdam(o: { lr: ScalarOrSchedule; beta1?: number; beta2?: number; eps?: number }): Seed {
  o = seed('seedAdam', o, { lr: LR, beta1: BETA, beta2: BETA, eps: EPS });
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
  o = seed('seedNadam', o, { lr: LR, beta1: BETA, beta2: BETA, eps: EPS, lookaheadPower: option.oneOf([0.5, 1]) });
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
  o = seed('seedQhm', o, { lr: LR, beta1: BETA, nu: closedUnitOpt() });
  return uniformFramework({ firstMoment: quasiHyperbolic({ beta: o.beta1 ?? 0.999, nu: o.nu ?? 0.7 }), lr: o.lr });
}

/** DEMON (§6): SGDM with β₁ decaying to 0 over `totalSteps` (see `demonDecay`). */
export function seedDemon(o: { lr: ScalarOrSchedule; beta1?: number; totalSteps: number }): Seed {
  o = seed('seedDemon', o, { lr: LR, beta1: BETA, totalSteps: option.int(1).required() });
  return uniformFramework({ firstMoment: emaMoment({ decay: demonDecay({ betaInit: o.beta1 ?? 0.9, totalSteps: o.totalSteps }) }), lr: o.lr });
}
