import { type Key, type PyTree, type Tensor, add, foldIn, mul, randn, splitKey, sum, treeFlatten, treeUnflatten, uniform as uniformSample } from '@ddopt/tensor';
import type { GradientTransformation } from '../types.js';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { nonNegativeOpt, positiveOpt } from '../validate.js';

export interface PerturbedGdOptions {
  /** Step size η. */
  lr: number;
  /** g_thres: a kick is considered when ‖∇f(xₜ)‖ ≤ gThres (the global norm over all leaves). */
  gThres: number;
  /** r: the radius of the ball B₀(r) that ξₜ is drawn from, uniformly. */
  radius: number;
  /** t_thres: a kick at step t needs t − t_noise > tThres, so kicks are at least tThres + 1 steps apart. */
  tThres: number;
  /** Seeds the kicks: step t draws from foldIn(key, t), so a run resumed from a saved state repeats them exactly. */
  key: Key;
}

/** `count` is the iteration t; `lastPerturbation` is t_noise (initially −tThres − 1); `perturbations` counts the kicks. */
export type PerturbedGdState = { count: number; lastPerturbation: number; perturbations: number };

/**
 * Perturbed gradient descent, Algorithm 2 (PGD) of Jin, Ge, Netrapalli, Kakade & Jordan (2017),
 * "How to Escape Saddle Points Efficiently". At iteration t (the update count), given ∇f(xₜ): if
 * ‖∇f(xₜ)‖ ≤ gThres and t − t_noise > tThres, then t_noise ← t and the update is ξₜ − η∇f(xₜ), with
 * ξₜ uniform in the ball of radius r (in the dimension of the whole pytree); otherwise it is −η∇f(xₜ).
 * So a kick is the paper's xₜ ← xₜ + ξₜ followed by a GD step, except that the step uses the
 * gradient the interface has, ∇f(xₜ) taken before the kick, where the paper uses ∇f(xₜ + ξₜ): for an
 * ℓ-smooth f the two differ by at most η·ℓ·r. The paper's stopping test (return the pre-kick point
 * when f fell by less than f_thres within tThres steps) needs f and is left to the caller.
 * ξₜ = r·U^(1/d)·z/‖z‖ with, from the keys splitKey(foldIn(key, t), n + 1) for n leaves, z's leaf i
 * drawn by randn(keys[i], shape, { dtype }) and U by uniform(keys[n], [], { dtype: 'float64' }).
 */
export function perturbedGd(options: PerturbedGdOptions): GradientTransformation<PerturbedGdState> {
  const { lr, gThres, radius, tThres, key } = checkOptions('perturbedGd', options, {
    lr: nonNegativeOpt().required(),
    gThres: nonNegativeOpt().required(),
    radius: positiveOpt().required(),
    tThres: option.int(0).required(),
    key: option.key().required(),
  });
  return {
    init: () => ({ count: 0, lastPerturbation: -tThres - 1, perturbations: 0 }),
    update(grads, state) {
      const { leaves, def } = treeFlatten(grads);
      const gs = leaves as Tensor[];
      const steps = gs.map((g) => mul(g, -lr));
      const t = state.count;
      if (Math.sqrt(squaredNorm(gs)) <= gThres && t - state.lastPerturbation > tThres) {
        const xi = sampleBall(foldIn(key, t), gs, radius);
        const updates = treeUnflatten(def, steps.map((s, i) => add(xi[i]!, s))) as PyTree;
        return { updates, state: { count: t + 1, lastPerturbation: t, perturbations: state.perturbations + 1 } };
      }
      return { updates: treeUnflatten(def, steps) as PyTree, state: { ...state, count: t + 1 } };
    },
  };
}

// Σ over the leaves of Σ x², accumulated in double precision.
function squaredNorm(xs: readonly Tensor[]): number {
  let sq = 0;
  for (const x of xs) sq += sum(mul(x, x)).item();
  return sq;
}

// Uniform in the d-ball: a Gaussian direction normalised, times r·U^(1/d).
function sampleBall(key: Key, like: readonly Tensor[], radius: number): Tensor[] {
  const keys = splitKey(key, like.length + 1);
  const z = like.map((g, i) => randn(keys[i]!, g.shape, { dtype: g.dtype as 'float32' | 'float64' }));
  const d = like.reduce((n, g) => n + g.size, 0);
  const u = uniformSample(keys[like.length]!, [], { dtype: 'float64' }).item();
  const scale = (radius * u ** (1 / d)) / Math.sqrt(squaredNorm(z));
  return z.map((x) => mul(x, scale));
}
