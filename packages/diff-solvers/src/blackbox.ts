// Differentiating through solvers that have no useful derivative of their own.
// - blackboxDiff: Vlastelica, Paulus, Musil, Martius & Rolínek (2020), "Differentiation of Blackbox
//   Combinatorial Solvers" (a reference of the discrete-optimizers report): for y(w) = argmin_y ⟨w, y⟩,
//   the gradient of a piecewise-affine interpolation of L(y(w)), −(y(w) − y(w + λ·∂L/∂y))/λ.
// - perturbed: Berthet, Blondel, Teboul, Cuturi, Vert & Bach (2020), "Learning with Differentiable
//   Perturbed Optimizers": y_σ(θ) = E[y(θ + σZ)] by Monte Carlo, with the score-function gradient
//   ∂y_σ/∂θ = E[y(θ + σZ) ∇ν(Z)ᵀ]/σ for the noise density μ(z) ∝ exp(−ν(z)).
import { customVjp, stopGradient } from '@ddopt/autograd';
import { type Key, type Tensor, add, div, isKey, isTensor, log, mean, mul, neg, prng, randn, reshape, sub, sum, uniform } from '@ddopt/tensor';
import { type OptionSpec, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { floatTensor } from './util.js';

/** Options of `blackboxDiff`. */
export interface BlackboxDiffOptions {
  /** λ > 0, the interpolation's step: how far w moves along ∂L/∂y before the solver is called again (required). */
  lambda: number;
}

const BLACKBOX = { lambda: option.number({ above: 0 }).required() } satisfies OptionSpec<BlackboxDiffOptions>;

/** Calls `solver` and checks that it returned a tensor shaped like w (y lives where the costs do: L = ⟨w, y⟩). */
function callSolver(where: string, solver: (w: Tensor) => Tensor, w: Tensor): Tensor {
  const y = solver(w);
  if (!isTensor(y)) throw new TypeError(`${where}: the solver must return a Tensor, got ${typeof y}`);
  if (fmtShape(y.shape) !== fmtShape(w.shape) || y.dtype !== w.dtype) {
    throw new RangeError(`${where}: the solver returned ${y.dtype} ${fmtShape(y.shape)} for costs ${w.dtype} ${fmtShape(w.shape)}; y must be shaped like w (it minimizes ⟨w, y⟩)`);
  }
  return y;
}

/**
 * Wraps `solver` (costs w ↦ a minimizer y of ⟨w, y⟩, e.g. `linearAssignment`) so that it has a
 * gradient: the forward pass is y = solver(w); the backward pass calls the solver once more at
 * w' = w + λ·∂L/∂y and returns −(y − y(w'))/λ (Vlastelica et al. 2020).
 */
export function blackboxDiff(solver: (w: Tensor) => Tensor, options: BlackboxDiffOptions): (w: Tensor) => Tensor {
  const where = 'blackboxDiff';
  if (typeof solver !== 'function') throw new TypeError(`${where}: solver must be a function (w: Tensor) => Tensor, got ${typeof solver}`);
  const { lambda } = checkOptions(where, options, BLACKBOX);
  const wrapped = customVjp(
    function blackboxSolver(w: Tensor) {
      return callSolver(where, solver, w);
    },
    (w: Tensor) => {
      const y = stopGradient(callSolver(where, solver, w));
      return [y, { w, y }] as [Tensor, { w: Tensor; y: Tensor }];
    },
    ({ w, y }, g: Tensor) => {
      const moved = callSolver(where, solver, stopGradient(add(w, mul(g, lambda))));
      return [div(sub(moved, y), lambda)];
    },
  );
  return (w: Tensor) => {
    floatTensor(where, 'w', w);
    return wrapped(w);
  };
}

/** Options of `perturbed`. */
export interface PerturbedOptions {
  /** Monte-Carlo samples per call (default 1000). */
  numSamples?: number;
  /** σ > 0, the noise scale (default 0.1). */
  sigma?: number;
  /** 'normal' (ν(z) = ‖z‖²/2, ∇ν = z; default) or 'gumbel' (ν(z) = z + e^{−z}, ∇ν = 1 − e^{−z}, each entry independent). */
  noise?: 'gumbel' | 'normal';
  /** Seed of the noise when a call gets no key (required). */
  seed: number;
}

const PERTURBED = {
  numSamples: option.int(1).default(1000),
  sigma: option.number({ above: 0 }).default(0.1),
  noise: option.oneOf(['gumbel', 'normal'] as const).default('normal'),
  seed: option.number({ integer: true }).required(),
} satisfies OptionSpec<PerturbedOptions>;

/**
 * Berthet et al.'s perturbed optimizer around `fn` (e.g. one-hot argmax): the returned function
 * maps θ to the Monte-Carlo mean of fn(θ + σZ) over `numSamples` draws of Z and differentiates it
 * by the score function, E[fn(θ + σZ)·∇ν(Z)ᵀ]/σ, with the same draws. `fn` receives all samples at
 * once, [numSamples, ...θ.shape], and must return [numSamples, ...]. Each call uses prng(seed)
 * unless it is given a key (pass a fresh one per training step for fresh noise).
 */
export function perturbed(fn: (x: Tensor) => Tensor, options: PerturbedOptions): (theta: Tensor, key?: Key) => Tensor {
  const where = 'perturbed';
  if (typeof fn !== 'function') throw new TypeError(`${where}: fn must be a function (x: Tensor) => Tensor, got ${typeof fn}`);
  const o = checkOptions(where, options, PERTURBED);
  const N = o.numSamples;
  return (theta: Tensor, key?: Key) => {
    const dtype = floatTensor(where, 'theta', theta);
    if (key !== undefined && !isKey(key)) throw new TypeError(`${where}: key must be a PRNG key (prng(seed) or splitKey), got ${typeof key}`);
    const k = key ?? prng(o.seed);
    const shape = [N, ...theta.shape];
    let Z: Tensor;
    let score: Tensor;
    if (o.noise === 'normal') {
      Z = randn(k, shape, { dtype });
      score = Z;
    } else {
      // G = −log(−log U) is standard Gumbel; ∇ν(G) = 1 − e^{−G} = 1 + log U.
      const U = uniform(k, shape, { dtype, low: 1e-12, high: 1 });
      Z = neg(log(neg(log(U))));
      score = add(log(U), 1);
    }
    const samples = (t: Tensor) => {
      const ys = fn(add(reshape(stopGradient(t), [1, ...theta.shape]), mul(Z, o.sigma)));
      if (!isTensor(ys) || ys.rank < 1 || ys.shape[0] !== N) throw new RangeError(`${where}: fn must map [${N}, ...] samples to [${N}, ...] outputs, got ${isTensor(ys) ? fmtShape(ys.shape) : typeof ys}`);
      if (ys.dtype !== dtype) throw new TypeError(`${where}: fn returned ${ys.dtype} for ${dtype} inputs; return the inputs' dtype`);
      return stopGradient(ys);
    };
    const op = customVjp(
      function perturbedMean(t: Tensor) {
        return mean(samples(t), { axis: 0 });
      },
      (t: Tensor) => {
        const ys = samples(t);
        return [mean(ys, { axis: 0 }), ys] as [Tensor, Tensor];
      },
      (ys, g: Tensor) => {
        // ⟨g, y_s⟩ per sample, then Σ_s ⟨g, y_s⟩ ∇ν(Z_s) / (σN).
        const outAxes = Array.from({ length: ys.rank - 1 }, (_, i) => i + 1);
        const w = outAxes.length ? sum(mul(ys, g), { axis: outAxes }) : mul(ys, g);
        const wShape = [N, ...theta.shape.map(() => 1)];
        return [div(sum(mul(score, reshape(w, wShape)), { axis: 0 }), o.sigma * N)];
      },
    );
    return op(theta);
  };
}
