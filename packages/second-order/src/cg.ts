// Conjugate gradients (Hestenes & Stiefel 1952; preconditioned as in Saad, Iterative Methods, alg. 9.1)
// on a LinearOperator, in float64 on flat vectors.
import type { PyTree } from '@ddopt/tensor';
import { type OptionSpec, checkOptions, fmtValue, option } from '@ddopt/tensor/validate';
import { type FlatOperator, type LinearOperator, flatOperator, operatorSpace } from './operator.js';
import { fromFlat, toFlat } from './space.js';
import { axpyInto, dot, norm } from './vec.js';

/** Options of `cg`. */
export interface CgOptions<P = PyTree> {
  /** Stop once ‖b − A·x‖ ≤ tol·‖b‖ (default 1e-5, SciPy's rtol). */
  tol?: number;
  /** Most iterations (products with A); default 10·size, as SciPy. */
  maxIter?: number;
  /** Preconditioner: applies M⁻¹ ≈ A⁻¹ (symmetric positive definite), a LinearOperator or a function. */
  M?: LinearOperator<P> | ((r: P) => P);
  /** Starting point (default 0). */
  x0?: P;
  /** What a direction with pᵀAp ≤ 0 does: 'throw' (default; A is not positive definite) or 'stop' (truncated Newton). */
  onNegativeCurvature?: 'throw' | 'stop';
}

/** Why `cg` stopped. */
export type CgReason = 'converged' | 'maxIter' | 'negativeCurvature';

/** What `cg` returns. */
export interface CgResult<P = PyTree> {
  x: P;
  /** Iterations taken (each one product with A). */
  iterations: number;
  /** ‖b − A·xₖ‖ for k = 0 … iterations. */
  residuals: number[];
  reason: CgReason;
  /** Products with A, counting the one for x0 when given. */
  products: number;
  /** With reason 'negativeCurvature': pᵀAp / ‖p‖² of the direction found. */
  curvature?: number;
}

/** @internal CG's flat result, with the final residual r = b − A·x. */
export interface FlatCg {
  x: Float64Array;
  r: Float64Array;
  iterations: number;
  residuals: number[];
  reason: CgReason;
  curvature?: number;
}

/** @internal The solver on flat vectors; `where` names the caller in errors. */
export function cgFlat(
  where: string,
  a: FlatOperator,
  b: Float64Array,
  o: { tol: number; maxIter: number; precondition?: (r: Float64Array) => Float64Array; x0?: Float64Array; onNegativeCurvature: 'throw' | 'stop' },
): FlatCg {
  const n = b.length;
  const x = o.x0 ? Float64Array.from(o.x0) : new Float64Array(n);
  const r = o.x0 ? axpyInto(Float64Array.from(b), -1, a.apply(x)) : Float64Array.from(b);
  const bNorm = norm(b);
  const target = o.tol * bNorm;
  const residuals = [norm(r)];
  if (!Number.isFinite(residuals[0]!)) throw new RangeError(`${where}: the right-hand side (or b − A·x0) is not finite (‖r‖ = ${residuals[0]})`);
  if (residuals[0]! <= target) return { x, r, iterations: 0, residuals, reason: 'converged' };
  const pre = (v: Float64Array): Float64Array => {
    if (!o.precondition) return Float64Array.from(v);
    return o.precondition(v);
  };
  let z = pre(r);
  let rz = dot(r, z);
  if (o.precondition && !(rz > 0)) throw new RangeError(`${where}: the preconditioner M is not positive definite (rᵀ·M(r) = ${rz})`);
  const p = Float64Array.from(z);
  for (let k = 0; k < o.maxIter; k++) {
    const ap = a.apply(p);
    const pap = dot(p, ap);
    if (!Number.isFinite(pap)) throw new RangeError(`${where}: ${a.name} returned a non-finite product (pᵀAp = ${pap}) at iteration ${k + 1}`);
    if (pap <= 0) {
      const curvature = pap / dot(p, p);
      if (o.onNegativeCurvature === 'throw') {
        throw new RangeError(`${where}: ${a.name} is not positive definite: the direction of iteration ${k + 1} has pᵀAp/‖p‖² = ${curvature} ≤ 0 (negative or zero curvature); damp it (damped(op, λ)) or use a positive semi-definite curvature (ggnOperator)`);
      }
      return { x, r, iterations: k, residuals, reason: 'negativeCurvature', curvature };
    }
    const alpha = rz / pap;
    axpyInto(x, alpha, p);
    axpyInto(r, -alpha, ap);
    const rn = norm(r);
    residuals.push(rn);
    if (!Number.isFinite(rn)) throw new RangeError(`${where}: the residual became non-finite at iteration ${k + 1}`);
    if (rn <= target) return { x, r, iterations: k + 1, residuals, reason: 'converged' };
    z = pre(r);
    const rzNext = dot(r, z);
    if (o.precondition && !(rzNext > 0)) throw new RangeError(`${where}: the preconditioner M is not positive definite (rᵀ·M(r) = ${rzNext} at iteration ${k + 1})`);
    const beta = rzNext / rz;
    rz = rzNext;
    for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
  }
  return { x, r, iterations: o.maxIter, residuals, reason: 'maxIter' };
}

const OPTIONS = {
  tol: option.number({ min: 0 }).default(1e-5),
  maxIter: option.int(0),
  M: option.any(),
  x0: option.any(),
  onNegativeCurvature: option.oneOf(['throw', 'stop'] as const).default('throw'),
} satisfies OptionSpec<CgOptions>;

/**
 * Solves A·x = b for a symmetric positive definite operator A by (preconditioned) conjugate
 * gradients. Returns x with the residual history and why it stopped; a direction of non-positive
 * curvature throws (A is not positive definite) unless `onNegativeCurvature: 'stop'`.
 */
export function cg<P>(op: LinearOperator<P>, b: P, options?: CgOptions<P>): CgResult<P> {
  const where = 'cg';
  const o = checkOptions(where, options as CgOptions | undefined, OPTIONS);
  const space = operatorSpace(where, op);
  const a = flatOperator(where, op);
  const bf = toFlat(space, where, 'b', b);
  let precondition: ((r: Float64Array) => Float64Array) | undefined;
  if (o.M !== undefined) {
    const M = o.M as LinearOperator<P> | ((r: P) => P);
    if (typeof M === 'function') precondition = (r) => toFlat(space, where, 'M(r)', M(fromFlat(space, r) as P));
    else if (M !== null && typeof M === 'object' && typeof M.apply === 'function') {
      const m = flatOperator(where, M);
      if (m.space.size !== space.size) throw new RangeError(`${where}: the preconditioner M has size ${m.space.size} but the operator has size ${space.size}`);
      precondition = (r) => m.apply(r);
    } else throw new TypeError(`${where}: M must be a LinearOperator or a function r ↦ M⁻¹r, got ${fmtValue(M)}`);
  }
  const x0 = o.x0 === undefined ? undefined : toFlat(space, where, 'x0', o.x0);
  const res = cgFlat(where, a, bf, { tol: o.tol, maxIter: o.maxIter ?? 10 * space.size, precondition, x0, onNegativeCurvature: o.onNegativeCurvature });
  const out: CgResult<P> = { x: fromFlat(space, res.x) as P, iterations: res.iterations, residuals: res.residuals, reason: res.reason, products: a.products };
  if (res.curvature !== undefined) out.curvature = res.curvature;
  return out;
}
