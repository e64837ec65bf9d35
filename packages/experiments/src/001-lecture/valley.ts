// The lecture's two-parameter example L(w₁, w₂) = (w₂ − w₁²)² + εw₁², shared by the descent-lemma
// (ε > 0: a curved valley with its minimum at 0) and saddle (ε < 0: 0 becomes a strict saddle) runs.
import { type Tensor, add, mul, slice, square, sub, sum } from '@ddopt/tensor';

/** L as a differentiable tensor function of w = [w₁, w₂] (for autograd and the optimizers). */
export function valley(w: Tensor, eps: number): Tensor {
  const w1 = slice(w, [0], [1]);
  const r = sub(slice(w, [1], [1]), square(w1));
  return sum(add(square(r), mul(square(w1), eps)));
}

/** ∇L at a point, in plain numbers: [−4w₁(w₂ − w₁²) + 2εw₁, 2(w₂ − w₁²)]. */
export function valleyGrad(w1: number, w2: number, eps: number): [number, number] {
  const r = w2 - w1 * w1;
  return [-4 * w1 * r + 2 * eps * w1, 2 * r];
}

/** L at a point, in plain numbers. */
export function valleyLoss(w1: number, w2: number, eps: number): number {
  return (w2 - w1 * w1) ** 2 + eps * w1 * w1;
}

/** Spectral norm of the Hessian [[12w₁² − 4w₂ + 2ε, −4w₁], [−4w₁, 2]]. */
export function valleyHessianNorm(w1: number, w2: number, eps: number): number {
  const a = 12 * w1 * w1 - 4 * w2 + 2 * eps;
  const b = -4 * w1;
  const c = 2;
  const mid = (a + c) / 2;
  const rad = Math.sqrt(((a - c) / 2) ** 2 + b * b);
  return Math.max(Math.abs(mid + rad), Math.abs(mid - rad));
}

/**
 * The Lipschitz constant of ∇L on the sublevel set {L ≤ level} (ε > 0, so the set is bounded:
 * |w₁| ≤ √(level/ε), |w₂ − w₁²| ≤ √level), as the largest Hessian norm on a fine grid over it.
 */
export function valleyLipschitz(level: number, eps: number, grid = 600): number {
  const r1 = Math.sqrt(level / eps);
  const r2 = Math.sqrt(level);
  let m = 0;
  for (let i = 0; i <= grid; i++) {
    const w1 = -r1 + (2 * r1 * i) / grid;
    for (let j = 0; j <= grid; j++) {
      const w2 = w1 * w1 - r2 + (2 * r2 * j) / grid;
      if (valleyLoss(w1, w2, eps) <= level) m = Math.max(m, valleyHessianNorm(w1, w2, eps));
    }
  }
  return m;
}
