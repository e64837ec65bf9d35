import { type Key, foldIn, isKey, mul, randn, splitKey, sum, treeFlatten, treeUnflatten, uniform as uniformSample } from '@ddopt/tensor';
import type { PyTree, Tensor } from '@ddopt/tensor';
import type { GradientTransformation } from '../types.js';
import { integer, nonNegative, positive } from '../validate.js';

export interface PerturbedGdOptions {
  /** Step size η. */
  lr: number;
  /** Perturb when ‖∇f‖ ≤ gThres. */
  gThres: number;
  /** Radius r of the ball ξ is drawn from (uniformly). */
  radius: number;
  /** At most one perturbation every tThres + 1 steps. */
  tThres: number;
  /** Seeds the perturbations; step t uses foldIn(key, t), so resuming from a saved state repeats them exactly. */
  key: Key;
}

export type PerturbedGdState = { count: number; lastPerturbation: number; perturbations: number };

/**
 * Perturbed gradient descent (Jin et al. 2017): a GD step −η∇f, except that when the gradient is
 * small (‖∇f‖ ≤ gThres) and no perturbation happened in the last tThres steps, the step is a
 * point ξ drawn uniformly from the ball of radius r instead — escaping strict saddles.
 */
export function perturbedGd(options: PerturbedGdOptions): GradientTransformation<PerturbedGdState> {
  const lr = nonNegative('perturbedGd', 'lr', options.lr);
  const gThres = nonNegative('perturbedGd', 'gThres', options.gThres);
  const radius = positive('perturbedGd', 'radius', options.radius);
  const tThres = integer('perturbedGd', 'tThres', options.tThres, 0);
  const { key } = options;
  if (!isKey(key)) throw new TypeError('perturbedGd: key must be a Key from prng(seed)');
  return {
    init: () => ({ count: 0, lastPerturbation: -tThres - 1, perturbations: 0 }),
    update(grads, state) {
      const { leaves, def } = treeFlatten(grads);
      const gs = leaves as Tensor[];
      let sq = 0;
      for (const g of gs) sq += sum(mul(g, g)).item();
      const t = state.count;
      if (Math.sqrt(sq) <= gThres && t - state.lastPerturbation > tThres) {
        const xi = sampleBall(foldIn(key, t), gs, radius);
        return { updates: treeUnflatten(def, xi) as PyTree, state: { count: t + 1, lastPerturbation: t, perturbations: state.perturbations + 1 } };
      }
      return { updates: treeUnflatten(def, gs.map((g) => mul(g, -lr))) as PyTree, state: { ...state, count: t + 1 } };
    },
  };
}

// Uniform in the d-ball: a Gaussian direction normalised, times r·U^(1/d).
function sampleBall(key: Key, like: Tensor[], radius: number): Tensor[] {
  const keys = splitKey(key, like.length + 1);
  const z = like.map((g, i) => randn(keys[i]!, g.shape, { dtype: g.dtype as 'float32' | 'float64' }));
  let sq = 0;
  let d = 0;
  for (const x of z) {
    sq += sum(mul(x, x)).item();
    d += x.size;
  }
  const u = uniformSample(keys[like.length]!, [], { dtype: 'float64' }).item();
  const scale = (radius * u ** (1 / d)) / Math.sqrt(sq);
  return z.map((x) => mul(x, scale));
}
