// Linear residual networks (seed 003, "Different theory techniques for shallow neural networks",
// §3.2.3, after Hardt & Ma 2016, "Identity matters in deep learning"): ŷ = (I + A_l)⋯(I + A₁)x
// against y = Rx, x ~ N(0, Σ). The population risk is f(A) = E‖ŷ − y‖² = tr((P − R)Σ(P − R)ᵀ),
// P = (I + A_l)⋯(I + A₁), with global minimum C_opt = 0; Hardt & Ma show that inside
// B_τ = {‖A_i‖ ≤ τ < 1} every critical point is global, since (eq. 31)
//   ‖∇f(A)‖²_F ≥ 4l(1 − τ)^{2l−2} σ_min(Σ)(f(A) − C_opt).
import { type Tensor, add, eye, matmul, mul, reshape, split, sub, sum } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { floatMatrix, floatTensor, sameDType } from './check.js';

/** Options of `linearResidualLoss`. */
export interface LinearResidualOptions {
  /** The input covariance Σ [d, d] (symmetric positive definite); the identity by default. */
  covariance?: Tensor;
}

/** (I + A_l)⋯(I + A₁) for A [l, d, d]. */
export function residualProduct(A: Tensor): Tensor {
  const a = floatTensor('residualProduct', 'A', A, 3);
  return product(a);
}

function product(a: Tensor): Tensor {
  const d = a.shape[1]!;
  const I = eye(d, d, a.dtype);
  return split(a, a.shape[0]!, 0).reduce((p, ai) => matmul(add(I, reshape(ai, [d, d])), p), I);
}

/**
 * E‖(I + A_l)⋯(I + A₁)x − Rx‖² for x ~ N(0, Σ): tr((P − R)Σ(P − R)ᵀ), A [l, d, d], R [d, d];
 * a scalar tensor, differentiable in A (Hardt & Ma's population risk with C_opt = 0).
 */
export function linearResidualLoss(A: Tensor, R: Tensor, options?: LinearResidualOptions): Tensor {
  const where = 'linearResidualLoss';
  const { covariance } = checkOptions(where, options, { covariance: option.tensor<Tensor>() });
  const a = floatTensor(where, 'A', A, 3);
  const r = floatMatrix(where, 'R', R);
  const d = a.shape[1]!;
  if (a.shape[2] !== d || r.shape[0] !== d || r.shape[1] !== d) throw new RangeError(`${where}: A must be [l, d, d] and R [d, d] with one d, got A ${fmtShape(a.shape)} and R ${fmtShape(r.shape)}`);
  sameDType(where, ['A', a], ['R', r]);
  const e = sub(product(a), r);
  if (covariance === undefined) return sum(mul(e, e));
  const s = floatMatrix(where, 'covariance', covariance, d);
  sameDType(where, ['A', a], ['covariance', s]);
  return sum(mul(matmul(e, s), e));
}
