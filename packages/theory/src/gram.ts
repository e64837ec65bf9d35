// Gram matrices of the over-parameterization analyses (survey, seed 000, §4.2 and §5.1).
//
// Du et al. (2018): a two-layer ReLU net u(x) = (1/√m)Σᵣ aᵣ(wᵣᵀx)₊ with aᵣ = ±1 fixed, trained by
// gradient flow on ½‖u − y‖². Its Gram matrix is H(t)ᵢⱼ = (1/m)xᵢᵀxⱼ Σᵣ 1{wᵣᵀxᵢ ≥ 0, wᵣᵀxⱼ ≥ 0}
// (eq. 17, written there with k for the width m), and H∞ = E_{w~N(0,I)}H(0), which for any nonzero
// xᵢ, xⱼ is xᵢᵀxⱼ(π − θᵢⱼ)/2π (θᵢⱼ the angle between them); λ₀ = λ_min(H∞) sets the rate of eq. (15).
// The multilayer G(t) of eq. (22) is the empirical neural tangent kernel J Jᵀ.
import { vjpBatch } from '@ddopt/autograd';
import { type Tensor, cast, concat, div, expandDims, eye, greaterEqual, matmul, mul, reshape, sub, transpose, treeLeaves } from '@ddopt/tensor';
import { fmtShape } from '@ddopt/tensor/validate';
import { floatMatrix, sameDType, sameWidth } from './check.js';
import { angleParts } from './relu-kernel.js';

/**
 * Du et al.'s H∞ for inputs X [n, d] (rows): H∞ᵢⱼ = E_w[xᵢᵀxⱼ 1{wᵀxᵢ ≥ 0, wᵀxⱼ ≥ 0}] =
 * xᵢᵀxⱼ(π − θᵢⱼ)/2π, [n, n]; its smallest eigenvalue is the λ₀ of survey eq. (15). Differentiable in X.
 */
export function gramInfinity(X: Tensor): Tensor {
  const x = floatMatrix('gramInfinity', 'X', X);
  const { c, theta } = angleParts(expandDims(x, 1), expandDims(x, 0));
  return div(mul(c, sub(Math.PI, theta)), 2 * Math.PI);
}

/**
 * The finite-width Gram matrix of survey eq. (17): H = (1/m)(XXᵀ) ⊙ (PPᵀ) with Pᵢᵣ = 1{wᵣᵀxᵢ ≥ 0},
 * for inputs X [n, d] and hidden weights W [m, d] (rows wᵣ); [n, n]. Piecewise constant in W.
 */
export function gramMatrix(X: Tensor, W: Tensor): Tensor {
  const where = 'gramMatrix';
  const x = floatMatrix(where, 'X', X);
  const w = floatMatrix(where, 'W', W);
  sameDType(where, ['X', x], ['W', w]);
  sameWidth(where, ['X', x], ['W', w]);
  const p = cast(greaterEqual(matmul(x, transpose(w)), 0), x.dtype);
  return div(mul(matmul(x, transpose(x)), matmul(p, transpose(p))), w.shape[0]!);
}

/**
 * The empirical neural tangent kernel G = J Jᵀ of survey eq. (22): f(params, X) has one output per
 * row of X ([n] or [n, 1]) and J [n, P] is its Jacobian in every leaf of the params pytree; [n, n].
 * One forward pass and one batched reverse sweep (`vjpBatch`, i.e. `vmap` over the n cotangents eᵢ).
 */
export function empiricalNtk<P>(f: (params: P, X: Tensor) => Tensor, params: P, X: Tensor): Tensor {
  const where = 'empiricalNtk';
  if (typeof f !== 'function') throw new TypeError(`${where}: f must be a function (params, X) => outputs, got ${typeof f}`);
  const x = floatMatrix(where, 'X', X);
  const n = x.shape[0]!;
  const [out, pullback] = vjpBatch((p: P) => f(p, x), params);
  const ok = out.rank === 1 ? out.shape[0] === n : out.rank === 2 && out.shape[0] === n && out.shape[1] === 1;
  if (!ok) throw new RangeError(`${where}: f(params, X) must return one output per row of X, [${n}] or [${n}, 1], got ${fmtShape(out.shape)}`);
  // Row i of the batch of cotangents is eᵢ shaped like the output; row i of each result is ∂fᵢ/∂leaf.
  const basis = reshape(eye(n, n, out.dtype), [n, ...out.shape]);
  const [grads] = pullback(basis);
  const J = concat(treeLeaves(grads as P).map((leaf) => reshape(leaf as Tensor, [n, -1])), 1);
  return matmul(J, transpose(J));
}
