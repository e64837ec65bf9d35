// The population loss of a two-layer ReLU network against a teacher of the same form, the
// objective of Safran & Shamir (2018) in the lecture (seed 001):
//   L(W) = E_x(Σᵢ σ(wᵢᵀx) − Σⱼ σ(vⱼᵀx))²,  x ~ N(0, I_k),
// which expands into kernel sums L = Σᵢᵢ' κ(wᵢ, wᵢ') − 2Σᵢⱼ κ(wᵢ, vⱼ) + Σⱼⱼ' κ(vⱼ, vⱼ') with κ the
// ReLU kernel g of eq. (9) (or its leaky/parametric form). `reluPopulationLoss` is the tensor form
// (autograd gives its gradient and Hessian); `reluPopulationObjective` the plain-number twin for
// loops of many thousand steps, with the gradient and Hessian derived by hand (Tian 2017 / Brutzkus
// & Globerson 2017) — a second derivation that the tests hold against autograd's.
import { type Tensor, eigh, expandDims, fromTypedArray, sub, sum } from '@ddopt/tensor';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { floatMatrix, sameDType, sameWidth } from './check.js';
import { preluKernelUnchecked } from './relu-kernel.js';

/** Options of `reluPopulationLoss` and `reluPopulationObjective`. */
export interface ReluPopulationOptions {
  /** Negative-side slope α of σ(z) = max(z, 0) + α·min(z, 0) (leaky/parametric ReLU); 0 (ReLU) by default. */
  slope?: number;
}

const OPTIONS = { slope: option.number().default(0) };

/** [n, m] matrix of κ(aᵢ, bⱼ) for rows of A [n, k] and B [m, k]. */
export function kernelMatrix(a: Tensor, b: Tensor, slope = 0): Tensor {
  return preluKernelUnchecked(expandDims(a, 1), expandDims(b, 0), slope);
}

/**
 * E_x(Σᵢ σ(wᵢᵀx) − Σⱼ σ(vⱼᵀx))² for x ~ N(0, I_k), student rows W [n, k], teacher rows V [m, k]
 * (the Safran–Shamir objective of the lecture), exact; a scalar tensor, differentiable to any order.
 */
export function reluPopulationLoss(W: Tensor, V: Tensor, options?: ReluPopulationOptions): Tensor {
  const where = 'reluPopulationLoss';
  const { slope } = checkOptions(where, options, OPTIONS);
  const w = floatMatrix(where, 'W', W);
  const v = floatMatrix(where, 'V', V);
  sameDType(where, ['W', w], ['V', v]);
  sameWidth(where, ['W', w], ['V', v]);
  const ww = sum(kernelMatrix(w, w, slope));
  const wv = sum(kernelMatrix(w, v, slope));
  const vv = sum(kernelMatrix(v, v, slope));
  return sub(sub(ww, wv), sub(wv, vv));
}

/** The plain-number objective of `reluPopulationObjective`; W is row-major [n, k] in a Float64Array. */
export interface ReluPopulationObjective {
  readonly n: number;
  readonly m: number;
  readonly k: number;
  /** L(W). */
  loss(W: Float64Array): number;
  /** L(W), writing ∇L(W) into `grad` (length n·k). */
  lossAndGrad(W: Float64Array, grad: Float64Array): number;
  /** ∇²L(W), row-major [n·k, n·k]. */
  hessian(W: Float64Array): Float64Array;
  /** The smallest eigenvalue of ∇²L(W) (symmetric QL via @ddopt/tensor's eigh). */
  minEigenvalue(W: Float64Array): number;
}

const TWO_PI = 2 * Math.PI;

/** Scratch for one pair (u, v): θ, ‖v⊥‖, ‖u‖ and the unit vectors ū and n = v⊥/‖v⊥‖. */
interface Pair {
  theta: number;
  c: number;
  vPerpNorm: number;
  uNorm: number;
  uHat: Float64Array;
  nHat: Float64Array;
}

function pairOf(u: Float64Array, uo: number, v: Float64Array, vo: number, k: number, p: Pair): void {
  let uu = 0;
  let vv = 0;
  let c = 0;
  for (let a = 0; a < k; a++) {
    const x = u[uo + a]!;
    const y = v[vo + a]!;
    uu += x * x;
    vv += y * y;
    c += x * y;
  }
  p.c = c;
  p.uNorm = Math.sqrt(uu);
  if (uu === 0 || vv === 0) {
    p.theta = Math.PI / 2;
    p.vPerpNorm = 0;
    p.uHat.fill(0);
    p.nHat.fill(0);
    return;
  }
  const r = c / uu;
  let pp = 0;
  for (let a = 0; a < k; a++) {
    const y = v[vo + a]! - r * u[uo + a]!;
    p.nHat[a] = y;
    pp += y * y;
  }
  const vp = Math.sqrt(pp);
  p.vPerpNorm = vp;
  p.theta = Math.atan2(p.uNorm * vp, c);
  for (let a = 0; a < k; a++) {
    p.uHat[a] = u[uo + a]! / p.uNorm;
    p.nHat[a] = vp > 0 ? p.nHat[a]! / vp : 0;
  }
}

/** Squared norms of the `rows` rows of a row-major [rows, k] array. */
function rowNorms2(x: Float64Array, rows: number, k: number, out = new Float64Array(rows)): Float64Array {
  for (let i = 0; i < rows; i++) {
    let t = 0;
    for (let a = 0; a < k; a++) t += x[i * k + a]! ** 2;
    out[i] = t;
  }
  return out;
}

/** g(u, v) from a filled pair. */
function gOf(p: Pair): number {
  return (p.uNorm * p.vPerpNorm + (Math.PI - p.theta) * p.c) / TWO_PI;
}

/**
 * The plain-number form of `reluPopulationLoss` for the teacher V [m, k] and n student rows: loss,
 * gradient ∂L/∂wᵢ = 2Σᵢ' ∂₁κ(wᵢ, wᵢ') − 2Σⱼ ∂₁κ(wᵢ, vⱼ) with ∂₁g(u, v) = ((π − θ)v + ‖v⊥‖ū)/2π, and
 * the Hessian from ∂²g/∂u² = (‖v⊥‖(I − ūūᵀ) + v⊥v⊥ᵀ/‖v⊥‖)/(2π‖u‖) and ∂²g/∂u∂v =
 * ((π − θ)I + sin θ cos θ(ūūᵀ − n̂n̂ᵀ) + sin²θ(ūn̂ᵀ + n̂ūᵀ))/2π (n̂ = v⊥/‖v⊥‖). Float64 throughout.
 */
export function reluPopulationObjective(V: Tensor, n: number, options?: ReluPopulationOptions): ReluPopulationObjective {
  const where = 'reluPopulationObjective';
  const { slope } = checkOptions(where, options, OPTIONS);
  const v = floatMatrix(where, 'V', V);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${where}: n (the number of student rows) must be an integer ≥ 1, got ${String(n)}`);
  const [m, k] = v.shape as [number, number];
  const vData = Float64Array.from(v.dataSync());
  const a2 = (1 - slope) ** 2;
  const size = n * k;
  const p: Pair = { theta: 0, c: 0, vPerpNorm: 0, uNorm: 0, uHat: new Float64Array(k), nHat: new Float64Array(k) };

  let vvConst = 0;
  for (let j = 0; j < m; j++) for (let j2 = 0; j2 < m; j2++) {
    pairOf(vData, j * k, vData, j2 * k, k, p);
    vvConst += a2 * gOf(p) + slope * p.c;
  }

  const checkW = (W: Float64Array) => {
    if (!(W instanceof Float64Array) || W.length !== size) throw new TypeError(`${where}: W must be a Float64Array of n·k = ${size} values (row-major [${n}, ${k}]), got ${W instanceof Float64Array ? `length ${W.length}` : String(W)}`);
  };

  const vNorm2 = rowNorms2(vData, m, k);
  const wNorm2 = new Float64Array(n);

  // One pass per pair for c = uᵀv, one for ‖v⊥‖ (computed from v − (c/‖u‖²)u, not from
  // ‖u‖²‖v‖² − c², which cancels), one to accumulate the gradient. The W–W sum runs over unordered
  // pairs: θ and s = ‖u‖‖v⊥‖ are symmetric, and ∂₁κ(v, u) has the same form with the roles swapped.
  function lossAndGradInto(W: Float64Array, grad: Float64Array | undefined): number {
    let loss = vvConst;
    if (grad) grad.fill(0);
    rowNorms2(W, n, k, wNorm2);
    for (let i = 0; i < n; i++) {
      const uo = i * k;
      const uu = wNorm2[i]!;
      const uNorm = Math.sqrt(uu);
      // κ(w, w) = (1 − α)²‖w‖²/2 + α‖w‖², whose gradient is (1 − α)²w + 2αw.
      loss += (a2 / 2 + slope) * uu;
      if (grad) for (let a = 0; a < k; a++) grad[uo + a]! += (a2 + 2 * slope) * W[uo + a]!;
      for (let side = 0; side < 2; side++) {
        const other = side === 0 ? W : vData;
        const norms = side === 0 ? wNorm2 : vNorm2;
        for (let j = side === 0 ? i + 1 : 0; j < (side === 0 ? n : m); j++) {
          const vo = j * k;
          let c = 0;
          for (let a = 0; a < k; a++) c += W[uo + a]! * other[vo + a]!;
          let theta = Math.PI / 2;
          let s = 0;
          if (uu > 0 && norms[j]! > 0) {
            const r = c / uu;
            let pp = 0;
            for (let a = 0; a < k; a++) {
              const y = other[vo + a]! - r * W[uo + a]!;
              pp += y * y;
            }
            s = uNorm * Math.sqrt(pp);
            theta = Math.atan2(s, c);
          }
          const kappa = (a2 * (s + (Math.PI - theta) * c)) / TWO_PI + slope * c;
          // W–W: the ordered pairs (i, j) and (j, i) both count; W–V: −2κ.
          loss += 2 * (side === 0 ? kappa : -kappa);
          if (!grad) continue;
          const sign = side === 0 ? 2 : -2;
          const cv = sign * ((a2 * (Math.PI - theta)) / TWO_PI + slope);
          const cu = uu > 0 ? (sign * a2 * s) / (TWO_PI * uu) : 0;
          for (let a = 0; a < k; a++) grad[uo + a]! += cv * other[vo + a]! + cu * W[uo + a]!;
          if (side === 0) {
            const cj = norms[j]! > 0 ? (sign * a2 * s) / (TWO_PI * norms[j]!) : 0;
            for (let a = 0; a < k; a++) grad[vo + a]! += cv * W[uo + a]! + cj * W[vo + a]!;
          }
        }
      }
    }
    return loss;
  }

  function hessian(W: Float64Array): Float64Array {
    checkW(W);
    const H = new Float64Array(size * size);
    const add = (i: number, j: number, a: number, b: number, x: number) => {
      H[(i * k + a) * size + j * k + b]! += x;
    };
    for (let i = 0; i < n; i++) {
      // ∇²κ(w, w) on the diagonal: (1 − α)²·I (from ‖w‖²/2) + 2α·I.
      for (let a = 0; a < k; a++) add(i, i, a, a, a2 + 2 * slope);
      for (const [other, count, sign] of [[W, n, 1], [vData, m, -1]] as const) {
        for (let j = 0; j < count; j++) {
          if (sign === 1 && j === i) continue;
          pairOf(W, i * k, other, j * k, k, p);
          // ∂²/∂wᵢ² of 2·sign·κ(wᵢ, ·)
          if (p.uNorm > 0 && p.vPerpNorm > 0) {
            const f = (2 * sign * a2) / (TWO_PI * p.uNorm);
            for (let a = 0; a < k; a++) {
              for (let b = 0; b < k; b++) {
                const eye = a === b ? 1 : 0;
                add(i, i, a, b, f * (p.vPerpNorm * (eye - p.uHat[a]! * p.uHat[b]!) + p.vPerpNorm * p.nHat[a]! * p.nHat[b]!));
              }
            }
          }
          if (sign === -1) continue;
          // ∂²/∂wᵢ∂wⱼ of 2κ(wᵢ, wⱼ), i ≠ j
          const st = Math.sin(p.theta);
          const ct = Math.cos(p.theta);
          const hasDir = p.uNorm > 0 && p.vPerpNorm > 0;
          for (let a = 0; a < k; a++) {
            for (let b = 0; b < k; b++) {
              const eye = a === b ? 1 : 0;
              let h = (Math.PI - p.theta) * eye;
              if (hasDir) {
                const u0 = p.uHat[a]!;
                const u1 = p.uHat[b]!;
                const n0 = p.nHat[a]!;
                const n1 = p.nHat[b]!;
                h += st * ct * (u0 * u1 - n0 * n1) + st * st * (u0 * n1 + n0 * u1);
              }
              add(i, j, a, b, 2 * ((a2 * h) / TWO_PI + slope * eye));
            }
          }
        }
      }
    }
    return H;
  }

  return {
    n,
    m,
    k,
    loss: (W) => {
      checkW(W);
      return lossAndGradInto(W, undefined);
    },
    lossAndGrad: (W, grad) => {
      checkW(W);
      if (!(grad instanceof Float64Array) || grad.length !== size) throw new TypeError(`${where}: grad must be a Float64Array of ${size} values, got ${grad instanceof Float64Array ? `length ${grad.length}` : String(grad)}`);
      return lossAndGradInto(W, grad);
    },
    hessian,
    minEigenvalue: (W) => eigh(fromTypedArray(hessian(W), [size, size], 'float64', 'cpu')).values.dataSync()[0]!,
  };
}
