// The Gaussian ReLU kernel g(u, v) = E[(uᵀx)₊(vᵀx)₊], x ~ N(0, I) — equation (9) of the survey
// (seed 000), the arc-cosine kernel of degree 1 (Cho & Saul 2009):
//   g(u, v) = (‖u‖‖v‖/2π)(sin θ + (π − θ) cos θ) = (s + (π − θ)c)/2π,
// with c = uᵀv, s = ‖u‖‖v‖ sin θ and θ the angle between u and v.
//
// Written so that u = ±v, u = 0 and v = 0 are exact in value and give finite derivatives of every
// order (the function is C² but not C³ at u ∥ v: its third derivative there depends on the
// direction, and the one returned is that of the branch s ≡ 0, i.e. along the line):
// - s = ‖u‖·‖v − (c/‖u‖²)u‖ is computed from the component of v orthogonal to u (no cancellation,
//   unlike ‖u‖²‖v‖² − c²), and through the "safe where" √q only where q > 0, so the infinite slope
//   of √ at 0 never meets autograd (∂g/∂s = s²/(2π‖u‖²‖v‖²) vanishes there anyway);
// - θ = atan2(s, c), exact at 0 and π, where acos(c/‖u‖‖v‖) loses half its digits and has an
//   infinite derivative;
// - at u = 0 or v = 0, θ is taken as π/2: g = 0 and ∂g/∂u = v/4, the average over directions of u
//   (and ReLU's derivative ½ at 0, the convention of @ddopt/tensor's relu).
import { type Tensor, add, atan2, div, expandDims, greater, mul, sqrt, sub, sum, where } from '@ddopt/tensor';
import { floatTensor, sameDType, sameWidth } from './check.js';

/** The pieces of the angle between u and v (last axis), broadcast over the leading axes. */
export interface AngleParts {
  /** uᵀv. */
  c: Tensor;
  /** ‖u‖‖v‖ sin θ ≥ 0 (the area of the parallelogram of u and v). */
  s: Tensor;
  /** θ ∈ [0, π]; π/2 when u or v is 0. */
  theta: Tensor;
}

/** c, s and θ for u [..., k] and v [..., k]; no NaN in value or derivatives at u ∥ v or at 0. */
export function angleParts(u: Tensor, v: Tensor): AngleParts {
  const uu = sum(mul(u, u), { axis: -1 });
  const vv = sum(mul(v, v), { axis: -1 });
  const c = sum(mul(u, v), { axis: -1 });
  const uPos = greater(uu, 0);
  const ratio = div(c, where(uPos, uu, 1));
  const vPerp = sub(v, mul(expandDims(ratio, ratio.rank), u));
  const q = mul(uu, sum(mul(vPerp, vPerp), { axis: -1 }));
  const qPos = greater(q, 0);
  const s = where(qPos, sqrt(where(qPos, q, 1)), 0);
  const both = where(uPos, greater(vv, 0), uPos);
  // Both atan2 inputs are replaced off the branch too: its derivative at (0, 0) is 0/0.
  const theta = where(both, atan2(where(both, s, 0), where(both, c, 1)), Math.PI / 2);
  return { c, s, theta };
}

function checkPair(where: string, u: unknown, v: unknown): [Tensor, Tensor] {
  const tu = floatTensor(where, 'u', u);
  const tv = floatTensor(where, 'v', v);
  sameDType(where, ['u', tu], ['v', tv]);
  sameWidth(where, ['u', tu], ['v', tv]);
  return [tu, tv];
}

/**
 * g(u, v) = E[(uᵀx)₊(vᵀx)₊] for x ~ N(0, I) (survey eq. 9): u, v [..., k] broadcast over their
 * leading axes, result [...]. Exact at u = ±v and at 0, differentiable to any order without NaN.
 */
export function reluKernel(u: Tensor, v: Tensor): Tensor {
  const [tu, tv] = checkPair('reluKernel', u, v);
  return reluKernelUnchecked(tu, tv);
}

/** reluKernel without the argument checks (inputs already checked by the caller). */
export function reluKernelUnchecked(u: Tensor, v: Tensor): Tensor {
  const { c, s, theta } = angleParts(u, v);
  return div(add(s, mul(sub(Math.PI, theta), c)), 2 * Math.PI);
}

/**
 * E[σ(uᵀx)σ(vᵀx)] for the leaky/parametric ReLU σ(z) = max(z, 0) + slope·min(z, 0), x ~ N(0, I):
 * (1 − slope)²·g(u, v) + slope·uᵀv (σ(z) = (1 − slope)z₊ + slope·z). slope = 0 is `reluKernel`.
 */
export function preluKernel(u: Tensor, v: Tensor, slope: number): Tensor {
  const [tu, tv] = checkPair('preluKernel', u, v);
  if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new TypeError(`preluKernel: slope must be a finite number, got ${String(slope)}`);
  return preluKernelUnchecked(tu, tv, slope);
}

/** preluKernel without the argument checks. */
export function preluKernelUnchecked(u: Tensor, v: Tensor, slope: number): Tensor {
  const g = reluKernelUnchecked(u, v);
  if (slope === 0) return g;
  return add(mul(g, (1 - slope) ** 2), mul(sum(mul(u, v), { axis: -1 }), slope));
}

/** The angle θ ∈ [0, π] between u and v [..., k] (π/2 when either is 0), via atan2: exact at 0 and π. */
export function vectorAngle(u: Tensor, v: Tensor): Tensor {
  const [tu, tv] = checkPair('vectorAngle', u, v);
  return angleParts(tu, tv).theta;
}
