// Entropic optimal transport by Sinkhorn's iterations (Cuturi 2013): the plan
// P = argmin ⟨P, M⟩ − reg·H(P) subject to P1 = a, Pᵀ1 = b, with gradients by implicit
// differentiation of the marginal conditions at convergence (or by unrolling, as an option).
import { customVjp } from '@ddopt/autograd';
import { type FloatDType, type Tensor, add, div, exp, log, logSumExp, mul, reshape, sub, sum } from '@ddopt/tensor';
import { type OptionSpec, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { luFactor, luSolve } from './dense.js';
import { assertFinite, firstOrderOnly, floatTensor, readF64, writeTensor } from './util.js';

/** Options of `sinkhorn`. */
export interface SinkhornOptions {
  /** The entropic regularization ε > 0 (required). */
  reg: number;
  /** Most iterations (default 1000). */
  maxIter?: number;
  /** Stop when ‖P1 − a‖₁ ≤ tol·Σa after an iteration (the columns are exact after each) (default 1e-9). */
  tol?: number;
  /** Iterate on the dual potentials with log-sum-exp (default true); false scales u, v by K = exp(−M/reg), which underflows for small reg. */
  logDomain?: boolean;
  /** Differentiate by unrolling the iterations (tensor ops) instead of implicitly at convergence (default false). */
  unroll?: boolean;
  /** What to do when tol is not reached in maxIter iterations: 'warn' (default, console.warn), 'throw' or 'ignore'. */
  onNotConverged?: 'warn' | 'throw' | 'ignore';
}

const OPTIONS = {
  reg: option.number({ above: 0 }).required(),
  maxIter: option.int(1).default(1000),
  tol: option.number({ above: 0 }).default(1e-9),
  logDomain: option.boolean().default(true),
  unroll: option.boolean().default(false),
  onNotConverged: option.oneOf(['warn', 'throw', 'ignore'] as const).default('warn'),
} satisfies OptionSpec<SinkhornOptions>;

/** What `sinkhorn` returns. */
export interface SinkhornResult {
  /** The transport plan [n, m], differentiable in a, b and M. */
  plan: Tensor;
  /** ⟨plan, M⟩ (a scalar tensor), differentiable. */
  cost: Tensor;
  converged: boolean;
  iterations: number;
}

/** log Σ_j exp(x_j) of a strided row. */
function lse(x: (j: number) => number, len: number): number {
  let mx = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < len; j++) mx = Math.max(mx, x(j));
  if (mx === Number.NEGATIVE_INFINITY) return mx;
  let s = 0;
  for (let j = 0; j < len; j++) s += Math.exp(x(j) - mx);
  return mx + Math.log(s);
}

interface Forward {
  P: Float64Array;
  iterations: number;
  converged: boolean;
  error: number;
}

/** Sinkhorn on float64 arrays: potentials f, g in the log domain, or scalings u, v. */
function iterate(where: string, a: Float64Array, b: Float64Array, M: Float64Array, n: number, m: number, reg: number, maxIter: number, tol: number, logDomain: boolean): Forward {
  const P = new Float64Array(n * m);
  const mass = a.reduce((s, x) => s + x, 0);
  let iterations = 0;
  let error = Number.POSITIVE_INFINITY;
  const rowError = () => {
    let e = 0;
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let j = 0; j < m; j++) r += P[i * m + j]!;
      e += Math.abs(r - a[i]!);
    }
    return e;
  };
  if (logDomain) {
    const f = new Float64Array(n);
    const g = new Float64Array(m);
    const la = a.map(Math.log);
    const lb = b.map(Math.log);
    while (iterations < maxIter) {
      for (let i = 0; i < n; i++) f[i] = reg * la[i]! - reg * lse((j) => (g[j]! - M[i * m + j]!) / reg, m);
      for (let j = 0; j < m; j++) g[j] = reg * lb[j]! - reg * lse((i) => (f[i]! - M[i * m + j]!) / reg, n);
      iterations++;
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) P[i * m + j] = Math.exp((f[i]! + g[j]! - M[i * m + j]!) / reg);
      error = rowError();
      if (!Number.isFinite(error)) throw new RangeError(`${where}: the iterations produced a non-finite plan at iteration ${iterations}`);
      if (error <= tol * mass) break;
    }
  } else {
    const K = new Float64Array(n * m);
    for (let i = 0; i < n * m; i++) K[i] = Math.exp(-M[i]! / reg);
    const dead = (len: number, other: number, at: (x: number, y: number) => number) => {
      for (let x = 0; x < len; x++) {
        let any = false;
        for (let y = 0; y < other && !any; y++) any = at(x, y) > 0;
        if (!any) return x;
      }
      return -1;
    };
    const row = dead(n, m, (i, j) => K[i * m + j]!);
    const col = dead(m, n, (j, i) => K[i * m + j]!);
    if (row >= 0 || col >= 0) {
      throw new RangeError(
        `${where}: reg = ${reg} is too small for logDomain: false: exp(−M/reg) underflows to 0 on all of ${row >= 0 ? `row ${row}` : `column ${col}`} of M (float64 underflows below exp(−745)), so the scalings divide by zero at iteration 0; use logDomain: true (the default) or a larger reg`,
      );
    }
    const u = new Float64Array(n).fill(1);
    const v = new Float64Array(m).fill(1);
    while (iterations < maxIter) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += K[i * m + j]! * v[j]!;
        u[i] = a[i]! / s;
      }
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += K[i * m + j]! * u[i]!;
        v[j] = b[j]! / s;
      }
      iterations++;
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) P[i * m + j] = u[i]! * K[i * m + j]! * v[j]!;
      error = rowError();
      if (!Number.isFinite(error)) throw new RangeError(`${where}: the scalings overflowed at iteration ${iterations} (reg = ${reg} is too small for logDomain: false); use logDomain: true`);
      if (error <= tol * mass) break;
    }
  }
  return { P, iterations, converged: error <= tol * mass, error };
}

/**
 * The implicit VJP at a converged plan: with rf_i = Σ_j Ḡ_ij P_ij/ε, rg_j = Σ_i Ḡ_ij P_ij/ε, solve
 * [[diag(P1), P], [Pᵀ, diag(Pᵀ1)]] [α; β] = ε[rf; rg] (singular along (1, −1); fixed by β_m = 0 in
 * the Schur complement, then shifted so that Σα = 0), and ∂ℓ/∂a = α, ∂ℓ/∂b = β,
 * ∂ℓ/∂M_ij = P_ij(α_i + β_j − Ḡ_ij)/ε.
 */
function implicitVjp(where: string, P: Float64Array, G: Float64Array, n: number, m: number, reg: number): { da: Float64Array; db: Float64Array; dM: Float64Array } {
  const r = new Float64Array(n);
  const c = new Float64Array(m);
  const rf = new Float64Array(n);
  const rg = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const p = P[i * m + j]!;
      r[i]! += p;
      c[j]! += p;
      const w = G[i * m + j]! * p;
      rf[i]! += w;
      rg[j]! += w;
    }
  }
  for (let i = 0; i < n; i++) if (!(r[i]! > 0)) throw new RangeError(`${where}: row ${i} of the plan is zero; no gradient (reg is too small for the costs)`);
  // Schur complement on β: (diag(c) − Pᵀ diag(r)⁻¹ P) β = rg − Pᵀ diag(r)⁻¹ rf (the ε's cancel).
  const k = m - 1;
  const beta = new Float64Array(m);
  if (k > 0) {
    const S = new Float64Array(k * k);
    const rhs = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      rhs[j] = rg[j]!;
      S[j * k + j] = c[j]!;
      for (let i = 0; i < n; i++) {
        const pj = P[i * m + j]! / r[i]!;
        rhs[j]! -= pj * rf[i]!;
        for (let l = 0; l < k; l++) S[j * k + l]! -= pj * P[i * m + l]!;
      }
    }
    const lu = luFactor(S, k);
    if (!lu) throw new RangeError(`${where}: the implicit-differentiation system is singular (the plan is numerically a hard assignment at reg = ${reg}); use a larger reg or unroll: true`);
    luSolve(lu, rhs);
    beta.set(rhs);
  }
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = rf[i]!;
    for (let j = 0; j < m; j++) s -= P[i * m + j]! * beta[j]!;
    alpha[i] = s / r[i]!;
  }
  const shift = alpha.reduce((s, x) => s + x, 0) / n;
  for (let i = 0; i < n; i++) alpha[i]! -= shift;
  for (let j = 0; j < m; j++) beta[j]! += shift;
  const dM = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) dM[i * m + j] = (P[i * m + j]! * (alpha[i]! + beta[j]! - G[i * m + j]!)) / reg;
  return { da: alpha, db: beta, dM };
}

/**
 * Entropic optimal transport between histograms a [n] and b [m] (positive, equal mass) with costs
 * M [n, m], by Sinkhorn's iterations: `{ plan, cost, converged, iterations }`. Gradients come from
 * implicit differentiation of the marginal conditions at the returned plan (exact at convergence;
 * `unroll: true` differentiates the iterations instead). reg must be positive; in the non-log
 * domain a reg that makes exp(−M/reg) underflow is refused, and non-convergence warns or throws.
 * Gradients in a and b are defined up to a shared constant (only Σa = Σb perturbations are
 * meaningful); the one returned has Σ ∂ℓ/∂a = 0.
 */
export function sinkhorn(a: Tensor, b: Tensor, M: Tensor, options: SinkhornOptions): SinkhornResult {
  const where = 'sinkhorn';
  const o = checkOptions(where, options, OPTIONS);
  const dtype: FloatDType = floatTensor(where, 'M', M);
  floatTensor(where, 'a', a);
  floatTensor(where, 'b', b);
  for (const [name, t] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (t.dtype !== dtype) throw new TypeError(`${where}: ${name} is ${t.dtype} but M is ${dtype}; cast explicitly (nothing is cast silently)`);
  }
  if (a.rank !== 1 || b.rank !== 1 || M.rank !== 2 || M.shape[0] !== a.shape[0] || M.shape[1] !== b.shape[0]) {
    throw new RangeError(`${where}: shapes disagree: a ${fmtShape(a.shape)}, b ${fmtShape(b.shape)} and M ${fmtShape(M.shape)} must be [n], [m] and [n, m]`);
  }
  const n = a.shape[0]!;
  const m = b.shape[0]!;
  const av = readF64(a);
  const bv = readF64(b);
  const Mv = readF64(M);
  assertFinite(where, 'M', Mv, M.shape);
  for (const [name, v] of [
    ['a', av],
    ['b', bv],
  ] as const) {
    for (let i = 0; i < v.length; i++) if (!(v[i]! > 0 && Number.isFinite(v[i]!))) throw new RangeError(`${where}: ${name} must be positive and finite, got ${v[i]} at index ${i}`);
  }
  const sa = av.reduce((s, x) => s + x, 0);
  const sb = bv.reduce((s, x) => s + x, 0);
  if (Math.abs(sa - sb) > 1e-6 * Math.max(sa, sb)) throw new RangeError(`${where}: a and b must have the same mass, got Σa = ${sa} and Σb = ${sb}`);

  let fw: Forward | undefined;
  const report = (r: { converged: boolean; iterations: number; error: number }) => {
    if (r.converged || o.onNotConverged === 'ignore') return;
    const msg = `${where}: not converged after ${r.iterations} iterations (‖P1 − a‖₁ = ${r.error.toExponential(2)} > tol·Σa = ${(o.tol * sa).toExponential(2)}, reg = ${o.reg}); raise maxIter or reg`;
    if (o.onNotConverged === 'throw') throw new RangeError(msg);
    console.warn(msg);
  };

  let plan: Tensor;
  if (o.unroll) {
    // The same log-domain iterations as tensor ops, so autograd differentiates each of them.
    const la = reshape(mul(log(a), o.reg), [n, 1]);
    const lb = reshape(mul(log(b), o.reg), [1, m]);
    let g: Tensor = writeTensor(new Float64Array(m), [1, m], dtype, M.backend);
    let iterations = 0;
    let error = Number.POSITIVE_INFINITY;
    plan = M;
    while (iterations < o.maxIter) {
      const f = sub(la, mul(logSumExp(div(sub(g, M), o.reg), { axis: 1, keepdims: true }), o.reg));
      g = sub(lb, mul(logSumExp(div(sub(f, M), o.reg), { axis: 0, keepdims: true }), o.reg));
      iterations++;
      plan = exp(div(sub(add(f, g), M), o.reg));
      const rows = sum(plan, { axis: 1 }).dataSync();
      error = 0;
      for (let i = 0; i < n; i++) error += Math.abs(rows[i]! - av[i]!);
      if (error <= o.tol * sa) break;
    }
    const converged = error <= o.tol * sa;
    report({ converged, iterations, error });
    return { plan, cost: sum(mul(plan, M)), converged, iterations };
  }

  const layer = customVjp(
    function sinkhornPlan(_a: Tensor, _b: Tensor, _M: Tensor) {
      fw = iterate(where, av, bv, Mv, n, m, o.reg, o.maxIter, o.tol, o.logDomain);
      return writeTensor(fw.P, [n, m], dtype, M.backend);
    },
    (ta: Tensor, tb: Tensor, tM: Tensor) => {
      fw = iterate(where, av, bv, Mv, n, m, o.reg, o.maxIter, o.tol, o.logDomain);
      const P = fw.P;
      return [firstOrderOnly(where, [ta, tb, tM], () => writeTensor(P, [n, m], dtype, M.backend)), P] as [Tensor, Float64Array];
    },
    (P, ct: Tensor) => {
      const G = readF64(ct);
      assertFinite(where, 'the cotangent of the plan', G, ct.shape);
      const { da, db, dM } = implicitVjp(where, P, G, n, m, o.reg);
      const ins = [ct, a, b, M];
      return [
        firstOrderOnly(where, ins, () => writeTensor(da, [n], dtype, a.backend)),
        firstOrderOnly(where, ins, () => writeTensor(db, [m], dtype, b.backend)),
        firstOrderOnly(where, ins, () => writeTensor(dM, [n, m], dtype, M.backend)),
      ];
    },
  );
  plan = layer(a, b, M);
  const r = fw!;
  report(r);
  return { plan, cost: sum(mul(plan, M)), converged: r.converged, iterations: r.iterations };
}
