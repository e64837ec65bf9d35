import { type PyTree, add, div, mul, sqrt, treeZerosLike } from '@ddopt/tensor';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation } from '../types.js';
import { checkOptions } from '@ddopt/tensor/validate';
import { nonNegativeOpt, positiveOpt, unitOpt } from '../validate.js';
import { ema, emaSquare } from './moments.js';

export interface ScaleByNadamOptions {
  /** Decay of the first moment (β₁ of the momentum schedule); default 0.9. */
  b1?: number;
  /** Decay of the second moment; default 0.999. */
  b2?: number;
  /** Added to √(ν/(1 − b2ᵗ)); default 1e-8. */
  eps?: number;
  /** ψ in μₜ = b1·(1 − ½·0.96^(t·ψ)); default 4e-3. */
  momentumDecay?: number;
}

export type NadamScaleState = { count: number; muProduct: number; mu: PyTree; nu: PyTree };

/**
 * Dozat's NAdam direction as torch computes it: with μₜ = b1(1 − ½·0.96^(tψ)) and D = √(ν/(1 − b2ᵗ)) + eps,
 * (1 − μₜ)/(1 − Πμ)·g/D + μₜ₊₁/(1 − Πμ·μₜ·μₜ₊₁)·m/D (torch's extra factor μₜ in the second product kept).
 */
export function scaleByNadam(options: ScaleByNadamOptions = {}): GradientTransformation<NadamScaleState> {
  const { b1, b2, eps, momentumDecay } = checkOptions('scaleByNadam', options, {
    b1: unitOpt().default(0.9),
    b2: unitOpt().default(0.999),
    eps: positiveOpt().default(1e-8),
    momentumDecay: nonNegativeOpt().default(4e-3),
  });
  return {
    init: (params) => ({ count: 0, muProduct: 1, mu: treeZerosLike(params) as PyTree, nu: treeZerosLike(params) as PyTree }),
    update(grads, state) {
      const step = state.count + 1;
      const bc2 = 1 - b2 ** step;
      const mu = b1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
      const muProduct = state.muProduct * mu;
      const cg = (1 - mu) / (1 - muProduct);
      const cm = muNext / (1 - muProduct * mu * muNext);
      const r = perLeaf('scaleByNadam', { g: grads, m: state.mu, v: state.nu }, ({ g, m, v }) => {
        const m2 = ema(m, g, b1);
        const v2 = emaSquare(v, g, b2);
        const denom = add(sqrt(div(v2, bc2)), eps);
        return { u: add(div(mul(g, cg), denom), div(mul(m2, cm), denom)), m: m2, v: v2 };
      });
      return { updates: r.u, state: { count: step, muProduct, mu: r.m, nu: r.v } };
    },
  };
}
