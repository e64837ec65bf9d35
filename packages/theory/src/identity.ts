// The one-hidden-layer net with identity mapping of the talk (seed 004, after Li & Yuan 2017,
// "Convergence analysis of two-layer neural networks with ReLU activation"; seed 003 eq. 8):
//   f(x; W) = Σᵢ σ((eᵢ + wᵢ)ᵀx) = 1ᵀσ((I + W)ᵀx),  x ~ N(0, I_d),  W [d, d] with columns wᵢ,
// trained against a teacher W*. For ReLU this is ‖σ((I + W)ᵀx)‖₁, as the talk writes it; for the
// PReLU σ(z) = max(z, 0) + α·min(z, 0) with α > 0 the 1-norm takes |σ(z)| = max(z, 0) − α·min(z, 0),
// the same net with slope −α — so one `slope` covers both readings.
import { type Tensor, add, div, expandDims, eye, matmul, maximum, minimum, mul, sub, sum, transpose } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { floatMatrix, sameDType } from './check.js';
import { safeNorm } from './cnn.js';
import { reluPopulationLoss } from './relu-population.js';

/** Options of the identity-mapping net's functions. */
export interface IdentityNetOptions {
  /** Negative-side slope α of σ (PReLU); 0 (ReLU) by default. */
  slope?: number;
}

const OPTIONS = { slope: option.number().default(0) };

function square(where: string, arg: string, x: unknown): Tensor {
  const m = floatMatrix(where, arg, x);
  if (m.shape[0] !== m.shape[1]) throw new RangeError(`${where}: ${arg} must be square [d, d], got ${fmtShape(m.shape)}`);
  return m;
}

function pair(where: string, W: unknown, WStar: unknown): [Tensor, Tensor] {
  const w = square(where, 'W', W);
  const s = square(where, 'WStar', WStar);
  sameDType(where, ['W', w], ['WStar', s]);
  if (w.shape[0] !== s.shape[0]) throw new RangeError(`${where}: W ${fmtShape(w.shape)} and WStar ${fmtShape(s.shape)} must have the same size`);
  return [w, s];
}

/** I + W. */
function shifted(w: Tensor): Tensor {
  return add(eye(w.shape[0]!, w.shape[0]!, w.dtype), w);
}

/** The outputs f(x; W) = Σᵢ σ((eᵢ + wᵢ)ᵀx) for samples X [N, d] (rows), [N]. */
export function identityNet(W: Tensor, X: Tensor, options?: IdentityNetOptions): Tensor {
  const where = 'identityNet';
  const { slope } = checkOptions(where, options, OPTIONS);
  const w = square(where, 'W', W);
  const x = floatMatrix(where, 'X', X, w.shape[0]);
  sameDType(where, ['W', w], ['X', x]);
  const z = matmul(x, shifted(w));
  const act = slope === 0 ? maximum(z, 0) : add(maximum(z, 0), mul(minimum(z, 0), slope));
  return sum(act, { axis: 1 });
}

/**
 * E_x(f(x; W) − f(x; W*))², x ~ N(0, I), exact: `reluPopulationLoss` with student rows (I + W)ᵀ
 * and teacher rows (I + W*)ᵀ. Differentiable to any order.
 */
export function identityNetPopulationLoss(W: Tensor, WStar: Tensor, options?: IdentityNetOptions): Tensor {
  const where = 'identityNetPopulationLoss';
  const { slope } = checkOptions(where, options, OPTIONS);
  const [w, s] = pair(where, W, WStar);
  return reluPopulationLoss(transpose(shifted(w)), transpose(shifted(s)), { slope });
}

/**
 * The talk's auxiliary function f_A = Σᵢ(‖eᵢ + wᵢ*‖ − ‖eᵢ + wᵢ‖) (Li & Yuan's potential g; the
 * talk prints ‖eᵢ − wᵢ‖, seed 003 has the + sign). Phase I of SGD drives it to O(γ).
 */
export function identityAuxiliaryFunction(W: Tensor, WStar: Tensor): Tensor {
  const [w, s] = pair('identityAuxiliaryFunction', W, WStar);
  return sub(sum(safeNorm(transpose(shifted(s)))), sum(safeNorm(transpose(shifted(w)))));
}

/** M·M̄ᵀ with M̄ the columns of M scaled to unit length. */
function withNormalized(m: Tensor): Tensor {
  const norms = safeNorm(transpose(m));
  return matmul(m, transpose(div(m, expandDims(norms, 0))));
}

/**
 * The talk's auxiliary matrix A = (W* + I)·(W* + I)‾ᵀ − (W + I)·(W + I)‾ᵀ, where M‾ has the columns
 * of M normalized; [d, d]. A = 0 at W = W*.
 */
export function identityAuxiliaryMatrix(W: Tensor, WStar: Tensor): Tensor {
  const [w, s] = pair('identityAuxiliaryMatrix', W, WStar);
  return sub(withNormalized(shifted(s)), withNormalized(shifted(w)));
}
