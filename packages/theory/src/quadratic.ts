// Two-layer nets with quadratic activation (survey, seed 000, §4.3, eqs. 20–21; Soltanolkotabi,
// Javanmard & Lee 2017): f(x; W, a) = Σⱼ aⱼ(wⱼᵀx)² = xᵀ(Wᵀdiag(a)W)x, and the empirical loss of
// eq. (14), ½Σᵢ(f(xᵢ) − yᵢ)². The survey states that for kd ≥ n every second-order stationary
// point (∇L = 0, ∇²L ⪰ 0) is a global minimum.
import { type Tensor, matmul, mul, square, sub, sum, transpose } from '@ddopt/tensor';
import { fmtShape } from '@ddopt/tensor/validate';
import { floatMatrix, floatTensor, sameDType, sameWidth } from './check.js';

/**
 * ½Σᵢ(Σⱼ aⱼ(wⱼᵀxᵢ)² − yᵢ)² for hidden weights W [k, d] (rows wⱼ), output weights a [k], inputs
 * X [n, d] (rows) and labels y [n] (survey eqs. 14 and 20); a scalar tensor, differentiable in all four.
 */
export function quadraticNetLoss(W: Tensor, a: Tensor, X: Tensor, y: Tensor): Tensor {
  const where = 'quadraticNetLoss';
  const w = floatMatrix(where, 'W', W);
  const av = floatTensor(where, 'a', a, 1);
  const x = floatMatrix(where, 'X', X);
  const yv = floatTensor(where, 'y', y, 1);
  for (const [name, t] of [['a', av], ['X', x], ['y', yv]] as const) sameDType(where, ['W', w], [name, t]);
  sameWidth(where, ['W', w], ['X', x]);
  if (av.shape[0] !== w.shape[0]) throw new RangeError(`${where}: a ${fmtShape(av.shape)} must have one weight per row of W ${fmtShape(w.shape)}`);
  if (yv.shape[0] !== x.shape[0]) throw new RangeError(`${where}: y ${fmtShape(yv.shape)} must have one label per row of X ${fmtShape(x.shape)}`);
  const pred = matmul(square(matmul(x, transpose(w))), av);
  return mul(sum(square(sub(pred, yv))), 0.5);
}
