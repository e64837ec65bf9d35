// Convolutional nets with k non-overlapping Gaussian patches (survey, seed 000, §3.2 and §4.1):
// x ∈ R^{kd} split into patches x₁, …, x_k ∈ R^d, x ~ N(0, I_{kd}), so the patches are independent.
//
// One layer (Brutzkus & Globerson 2017; survey eqs. 8–10). With the average f(x, w) = (1/k)Σᵢ(wᵀxᵢ)₊,
// E[(wᵀxᵢ)₊²] = ‖w‖²/2 and E[(wᵀxᵢ)₊]E[(w'ᵀxⱼ)₊] = ‖w‖‖w'‖/2π for i ≠ j give
//   L(w) = E(f(x, w) − f(x, w*))² = (1/k²)[γ‖w‖² − 2k·g(w, w*) − 2β‖w‖‖w*‖ + γ‖w*‖²],
// β = (k² − k)/2π, γ = β + k/2: the survey's eq. (10) plus the constant γ‖w*‖²/k² it leaves out
// (without it L(w*) is not 0). The survey's eq. (8) has no 1/k; with the plain sum the loss is k²
// times this, with the same critical points.
//
// Two layers (Du et al. 2018; survey eqs. 11–12): f(x, w, a) = Σᵢ aᵢ(wᵀxᵢ)₊ with
//   E[f(w, a) f(w', a')] = g(w, w')·aᵀa' + (‖w‖‖w'‖/2π)((1ᵀa)(1ᵀa') − aᵀa').
import { type Tensor, add, div, greater, mul, sqrt, sub, sum, where, zerosLike } from '@ddopt/tensor';
import { assertInt } from '@ddopt/tensor/validate';
import { floatTensor, sameDType, sameWidth } from './check.js';
import { reluKernelUnchecked } from './relu-kernel.js';

/** ‖x‖ over the last axis with derivative 0 (the average over directions) at x = 0 instead of NaN. */
export function safeNorm(x: Tensor): Tensor {
  const q = sum(mul(x, x), { axis: -1 });
  const pos = greater(q, 0);
  return where(pos, sqrt(where(pos, q, 1)), 0);
}

function vectors(where: string, [an, a]: [string, unknown], [bn, b]: [string, unknown]): [Tensor, Tensor] {
  const ta = floatTensor(where, an, a, 1);
  const tb = floatTensor(where, bn, b, 1);
  sameDType(where, [an, ta], [bn, tb]);
  sameWidth(where, [an, ta], [bn, tb]);
  return [ta, tb];
}

/**
 * L(w) = E(f(x, w) − f(x, w*))² for the one-layer CNN f(x, w) = (1/k)Σᵢ(wᵀxᵢ)₊ with k
 * non-overlapping N(0, I_d) patches (survey eq. 10 with its constant term): w, w* [d], scalar out.
 */
export function cnnPopulationLoss(w: Tensor, wStar: Tensor, k: number): Tensor {
  const where = 'cnnPopulationLoss';
  const [tw, ts] = vectors(where, ['w', w], ['wStar', wStar]);
  assertInt(where, 'k', k, 1);
  const beta = (k * k - k) / (2 * Math.PI);
  const gamma = beta + k / 2;
  const ww = sum(mul(tw, tw));
  const ss = sum(mul(ts, ts));
  const inner = add(sub(sub(mul(ww, gamma), mul(reluKernelUnchecked(tw, ts), 2 * k)), mul(mul(safeNorm(tw), safeNorm(ts)), 2 * beta)), mul(ss, gamma));
  return div(inner, k * k);
}

/** The three critical points of L(w) in the lemma of the survey's §3.2 (Brutzkus & Globerson 2017). */
export interface CnnCriticalPoints {
  /** w = 0: a local maximum (where L is not differentiable: ‖w‖ has a kink). */
  localMaximum: Tensor;
  /** w = w*: the unique global minimum, L = 0 (the survey prints "maximum"). */
  globalMinimum: Tensor;
  /** w = −ρw* with ρ = (k² − k)/(k² + (π − 1)k): a degenerate saddle (gradient 0, Hessian ⪰ 0 and singular). */
  degenerateSaddle: Tensor;
  /** ρ. */
  saddleCoefficient: number;
}

/** The lemma's critical points of `cnnPopulationLoss` for teacher w* [d] and k > 1 patches. */
export function cnnCriticalPoints(wStar: Tensor, k: number): CnnCriticalPoints {
  const where = 'cnnCriticalPoints';
  const ts = floatTensor(where, 'wStar', wStar, 1);
  assertInt(where, 'k', k, 2);
  const rho = (k * k - k) / (k * k + (Math.PI - 1) * k);
  return { localMaximum: zerosLike(ts), globalMinimum: ts, degenerateSaddle: mul(ts, -rho), saddleCoefficient: rho };
}

/** E[f(x; w, a) f(x; w', a')] for the two-layer CNN f = Σᵢ aᵢ(wᵀxᵢ)₊ (non-overlapping Gaussian patches). */
function twoLayerCross(w: Tensor, a: Tensor, w2: Tensor, a2: Tensor): Tensor {
  const aa = sum(mul(a, a2));
  const sums = mul(sum(a), sum(a2));
  const norms = div(mul(safeNorm(w), safeNorm(w2)), 2 * Math.PI);
  return add(mul(reluKernelUnchecked(w, w2), aa), mul(norms, sub(sums, aa)));
}

/**
 * E(f(x; w, a) − f(x; w*, a*))² for the two-layer CNN f = Σᵢ aᵢ(wᵀxᵢ)₊ of survey eq. (11) with k =
 * len(a) non-overlapping N(0, I_d) patches: w, w* [d], a, a* [k], exact, scalar out. The survey's
 * eq. (12) is this at ‖w‖ = 1 except for its last coefficient (see the `cnn-closed-form` experiment).
 */
export function twoLayerCnnPopulationLoss(w: Tensor, a: Tensor, wStar: Tensor, aStar: Tensor): Tensor {
  const where = 'twoLayerCnnPopulationLoss';
  const [tw, ts] = vectors(where, ['w', w], ['wStar', wStar]);
  const [ta, tas] = vectors(where, ['a', a], ['aStar', aStar]);
  sameDType(where, ['w', tw], ['a', ta]);
  const self = twoLayerCross(tw, ta, tw, ta);
  const cross = twoLayerCross(tw, ta, ts, tas);
  const star = twoLayerCross(ts, tas, ts, tas);
  return add(sub(self, mul(cross, 2)), star);
}
