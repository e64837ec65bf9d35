// Quadratic programs as layers (Amos & Kolter 2017, OptNet; a reference of the discrete-optimizers
// report): minimize ½xᵀQx + pᵀx subject to Gx ≤ h, Ax = b, batched, by a primal-dual
// interior-point method (Mehrotra's predictor-corrector), differentiated through the KKT
// conditions at the solution. Arguments in qpth's order; everything runs in float64 on typed arrays.
import { customVjp } from '@ddopt/autograd';
import { type FloatDType, type Tensor, isTensor } from '@ddopt/tensor';
import { type OptionSpec, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { choleskyOk, luFactor, luSolve } from './dense.js';
import { assertFinite, firstOrderOnly, floatTensor, readF64, writeTensor } from './util.js';

/** Options of `solveQp`. */
export interface SolveQpOptions {
  /** Most interior-point iterations per problem (default 50). */
  maxIter?: number;
  /** Stop when the scaled primal, dual and equality residuals and the mean complementarity sᵀz/m are all below tol (default 1e-11). */
  tol?: number;
  /** Return `{ x, lambda, nu, slack, iterations }` instead of x alone (default false). */
  details?: boolean;
}

const OPTIONS = {
  maxIter: option.int(1).default(50),
  tol: option.number({ above: 0 }).default(1e-11),
  details: option.boolean().default(false),
} satisfies OptionSpec<SolveQpOptions>;

/** `solveQp`'s result with `details: true`. Only `x` carries derivatives; the rest are constants. */
export interface QpSolution {
  /** The minimizer, [n] or [B, n]. */
  x: Tensor;
  /** Multipliers of Gx ≤ h (λ ≥ 0), [m] or [B, m]. */
  lambda: Tensor;
  /** Multipliers of Ax = b, [r] or [B, r]. */
  nu: Tensor;
  /** h − Gx ≥ 0 at the solution, [m] or [B, m]. */
  slack: Tensor;
  /** Interior-point iterations per problem. */
  iterations: number[];
}

/** One problem of the batch, as views into the arguments' values. */
interface Problem {
  Q: Float64Array;
  p: Float64Array;
  G: Float64Array;
  h: Float64Array;
  A: Float64Array;
  b: Float64Array;
}

interface Iterate {
  x: Float64Array;
  s: Float64Array;
  z: Float64Array;
  y: Float64Array;
  iterations: number;
}

class QpFailure extends Error {}

const norm = (v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s = Math.max(s, Math.abs(v[i]!));
  return s;
};

/**
 * The KKT matrix [[Q, Gᵀ, Aᵀ], [G, −diag(d), 0], [A, 0, 0]] (Q symmetrized), n + m + r square:
 * the interior-point Newton systems (d = s/z) and the backward pass at the solution use it alike.
 */
function kkt(P: Problem, n: number, m: number, r: number, d: Float64Array): Float64Array {
  const N = n + m + r;
  const K = new Float64Array(N * N);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K[i * N + j] = (P.Q[i * n + j]! + P.Q[j * n + i]!) / 2;
  for (let l = 0; l < m; l++) {
    for (let i = 0; i < n; i++) {
      K[i * N + n + l] = P.G[l * n + i]!;
      K[(n + l) * N + i] = P.G[l * n + i]!;
    }
    K[(n + l) * N + n + l] = -d[l]!;
  }
  for (let e = 0; e < r; e++) {
    for (let i = 0; i < n; i++) {
      K[i * N + n + m + e] = P.A[e * n + i]!;
      K[(n + m + e) * N + i] = P.A[e * n + i]!;
    }
  }
  return K;
}

const SINGULAR = 'the KKT system is singular: A has linearly dependent rows, or Q is singular on the null space of A and the constraints (or Ax = b has no solution)';

/** Mehrotra's predictor-corrector on one problem; throws QpFailure with the reason. */
function interiorPoint(P: Problem, n: number, m: number, r: number, maxIter: number, tol: number): Iterate {
  const N = n + m + r;
  const x = new Float64Array(n);
  const s = new Float64Array(m);
  const z = new Float64Array(m);
  const y = new Float64Array(r);
  // Start (as cvxopt does): solve the KKT system with −I in the (2, 2) block, then shift s, z inside.
  {
    const lu = luFactor(kkt(P, n, m, r, new Float64Array(m).fill(1)), N);
    if (!lu) throw new QpFailure(SINGULAR);
    const rhs = new Float64Array(N);
    for (let i = 0; i < n; i++) rhs[i] = -P.p[i]!;
    for (let l = 0; l < m; l++) rhs[n + l] = P.h[l]!;
    for (let e = 0; e < r; e++) rhs[n + m + e] = P.b[e]!;
    luSolve(lu, rhs);
    x.set(rhs.subarray(0, n));
    y.set(rhs.subarray(n + m));
    let minS = Number.POSITIVE_INFINITY;
    for (let l = 0; l < m; l++) {
      z[l] = rhs[n + l]!;
      s[l] = -z[l]!;
      minS = Math.min(minS, s[l]!);
    }
    const shift = (v: Float64Array, min: number) => {
      if (min <= 0) for (let l = 0; l < m; l++) v[l]! += 1 - min;
    };
    shift(s, minS);
    shift(z, Math.min(...z));
  }
  const scaleP = 1 + norm(P.p);
  const scaleH = 1 + norm(P.h);
  const scaleB = 1 + norm(P.b);
  const rx = new Float64Array(n);
  const ri = new Float64Array(m);
  const re = new Float64Array(r);
  const rhs = new Float64Array(N);
  const dsAff = new Float64Array(m);
  const dzAff = new Float64Array(m);
  const ds = new Float64Array(m);
  const d = new Float64Array(m);
  for (let it = 0; ; it++) {
    // Residuals: rx = Qx + p + Gᵀz + Aᵀy, ri = Gx + s − h, re = Ax − b.
    for (let i = 0; i < n; i++) {
      let v = P.p[i]!;
      for (let j = 0; j < n; j++) v += ((P.Q[i * n + j]! + P.Q[j * n + i]!) / 2) * x[j]!;
      for (let l = 0; l < m; l++) v += P.G[l * n + i]! * z[l]!;
      for (let e = 0; e < r; e++) v += P.A[e * n + i]! * y[e]!;
      rx[i] = v;
    }
    for (let l = 0; l < m; l++) {
      let v = s[l]! - P.h[l]!;
      for (let i = 0; i < n; i++) v += P.G[l * n + i]! * x[i]!;
      ri[l] = v;
    }
    for (let e = 0; e < r; e++) {
      let v = -P.b[e]!;
      for (let i = 0; i < n; i++) v += P.A[e * n + i]! * x[i]!;
      re[e] = v;
    }
    let gap = 0;
    for (let l = 0; l < m; l++) gap += s[l]! * z[l]!;
    const mu = m > 0 ? gap / m : 0;
    if (norm(rx) <= tol * scaleP && norm(ri) <= tol * scaleH && norm(re) <= tol * scaleB && mu <= tol) return { x, s, z, y, iterations: it };
    if (it === maxIter) throw new QpFailure(`no convergence in ${maxIter} iterations (residuals: dual ${norm(rx).toExponential(2)}, inequality ${norm(ri).toExponential(2)}, equality ${norm(re).toExponential(2)}, complementarity ${mu.toExponential(2)})`);
    for (let l = 0; l < m; l++) d[l] = s[l]! / z[l]!;
    const lu = luFactor(kkt(P, n, m, r, d), N);
    if (!lu) throw new QpFailure(SINGULAR);
    // With ds = −(rc + s∘dz)/z eliminated: K [dx; dz; dy] = [−rx; −ri + rc/z; −re].
    const solve = (rc: (l: number) => number, dzOut: Float64Array, dsOut: Float64Array) => {
      for (let i = 0; i < n; i++) rhs[i] = -rx[i]!;
      for (let l = 0; l < m; l++) rhs[n + l] = -ri[l]! + rc(l) / z[l]!;
      for (let e = 0; e < r; e++) rhs[n + m + e] = -re[e]!;
      luSolve(lu, rhs);
      for (let l = 0; l < m; l++) {
        dzOut[l] = rhs[n + l]!;
        dsOut[l] = -(rc(l) + s[l]! * dzOut[l]!) / z[l]!;
      }
    };
    const maxStep = (dsv: Float64Array, dzv: Float64Array) => {
      let a = 1;
      for (let l = 0; l < m; l++) {
        if (dsv[l]! < 0) a = Math.min(a, -s[l]! / dsv[l]!);
        if (dzv[l]! < 0) a = Math.min(a, -z[l]! / dzv[l]!);
      }
      return a;
    };
    let sigmaMu = 0;
    const cross = new Float64Array(m);
    if (m > 0) {
      solve((l) => s[l]! * z[l]!, dzAff, dsAff);
      const a = maxStep(dsAff, dzAff);
      let gapAff = 0;
      for (let l = 0; l < m; l++) gapAff += (s[l]! + a * dsAff[l]!) * (z[l]! + a * dzAff[l]!);
      sigmaMu = (gapAff / gap) ** 3 * mu;
      for (let l = 0; l < m; l++) cross[l] = dsAff[l]! * dzAff[l]!;
    }
    const dz = dzAff;
    solve((l) => s[l]! * z[l]! + cross[l]! - sigmaMu, dz, ds);
    const dx = rhs.subarray(0, n);
    const dy = rhs.subarray(n + m);
    const a = m > 0 ? Math.min(1, 0.99 * maxStep(ds, dz)) : 1;
    for (let i = 0; i < n; i++) x[i]! += a * dx[i]!;
    for (let e = 0; e < r; e++) y[e]! += a * dy[e]!;
    for (let l = 0; l < m; l++) {
      s[l]! += a * ds[l]!;
      z[l]! += a * dz[l]!;
    }
    if (!Number.isFinite(norm(x)) || !Number.isFinite(norm(z))) throw new QpFailure('the iterates left the finite numbers (the problem may be unbounded below or badly scaled)');
  }
}

/**
 * Phase I: the least violation t* = min over x with Ax = b of max(max_l (Gx − h)_l, −1), by the
 * same interior-point method (a tiny proximal term on x keeps its KKT systems regular). t* > 0
 * means no x satisfies Gx ≤ h, Ax = b.
 */
function leastViolation(P: Problem, n: number, m: number, r: number): number | undefined {
  const n1 = n + 1;
  const Q = new Float64Array(n1 * n1);
  for (let i = 0; i < n; i++) Q[i * n1 + i] = 1e-8;
  const p = new Float64Array(n1);
  p[n] = 1;
  const G = new Float64Array((m + 1) * n1);
  const h = new Float64Array(m + 1);
  for (let l = 0; l < m; l++) {
    for (let i = 0; i < n; i++) G[l * n1 + i] = P.G[l * n + i]!;
    G[l * n1 + n] = -1;
    h[l] = P.h[l]!;
  }
  G[m * n1 + n] = -1;
  h[m] = 1;
  const A = new Float64Array(r * n1);
  for (let e = 0; e < r; e++) for (let i = 0; i < n; i++) A[e * n1 + i] = P.A[e * n + i]!;
  try {
    return interiorPoint({ Q, p, G, h, A, b: P.b }, n1, m + 1, r, 100, 1e-10).x[n];
  } catch {
    return undefined;
  }
}

/** One problem solved, or a RangeError naming the batch element and why (infeasible, singular, no convergence). */
function solveOne(where: string, P: Problem, n: number, m: number, r: number, maxIter: number, tol: number, index: number | undefined): Iterate {
  try {
    return interiorPoint(P, n, m, r, maxIter, tol);
  } catch (e) {
    if (!(e instanceof QpFailure)) throw e;
    const at = index === undefined ? '' : ` (batch element ${index})`;
    const t = leastViolation(P, n, m, r);
    if (t !== undefined && t > 1e-7 * (1 + norm(P.h))) {
      throw new RangeError(`${where}: the QP is infeasible${at}: no x satisfies Gx ≤ h and Ax = b (the least possible violation max(Gx − h) over Ax = b is ${t.toPrecision(4)})`);
    }
    throw new RangeError(`${where}: ${e.message}${at}`);
  }
}

interface Arg {
  name: string;
  t: Tensor | null;
  /** Rank of one problem's argument (Q, G, A: 2; p, h, b: 1). */
  rank: number;
}

/**
 * Solves the QPs min ½xᵀQx + pᵀx s.t. Gx ≤ h, Ax = b (qpth's argument order; each argument may
 * have a leading batch dimension, the others are shared; `G, h` or `A, b` may be null for no
 * such constraints) and returns x, [n] or [B, n]. Differentiable in every argument through the
 * KKT conditions at the solution (OptNet); Q enters through its symmetric part and must be
 * positive semidefinite. An infeasible problem throws, naming the batch element.
 */
export function solveQp(Q: Tensor, p: Tensor, G: Tensor | null, h: Tensor | null, A: Tensor | null, b: Tensor | null, options?: SolveQpOptions & { details?: false }): Tensor;
export function solveQp(Q: Tensor, p: Tensor, G: Tensor | null, h: Tensor | null, A: Tensor | null, b: Tensor | null, options: SolveQpOptions & { details: true }): QpSolution;
export function solveQp(Q: Tensor, p: Tensor, G: Tensor | null, h: Tensor | null, A: Tensor | null, b: Tensor | null, options?: SolveQpOptions): Tensor | QpSolution {
  const where = 'solveQp';
  const o = checkOptions(where, options, OPTIONS);
  const dtype: FloatDType = floatTensor(where, 'Q', Q);
  const args: Arg[] = [
    { name: 'Q', t: Q, rank: 2 },
    { name: 'p', t: p, rank: 1 },
    { name: 'G', t: G, rank: 2 },
    { name: 'h', t: h, rank: 1 },
    { name: 'A', t: A, rank: 2 },
    { name: 'b', t: b, rank: 1 },
  ];
  for (const [i, j] of [
    [2, 3],
    [4, 5],
  ] as const) {
    if ((args[i]!.t === null) !== (args[j]!.t === null)) throw new TypeError(`${where}: ${args[i]!.name} and ${args[j]!.name} must both be tensors or both be null, got ${args[i]!.t === null ? 'null' : 'a tensor'} and ${args[j]!.t === null ? 'null' : 'a tensor'}`);
  }
  let B: number | undefined;
  for (const a of args) {
    if (a.t === null) continue;
    if (!isTensor(a.t)) throw new TypeError(`${where}: ${a.name} must be a Tensor${a.name === 'Q' || a.name === 'p' ? '' : ' or null'}, got ${typeof a.t}`);
    floatTensor(where, a.name, a.t);
    if (a.t.dtype !== dtype) throw new TypeError(`${where}: ${a.name} is ${a.t.dtype} but Q is ${dtype}; cast explicitly (nothing is cast silently)`);
    if (a.t.rank !== a.rank && a.t.rank !== a.rank + 1) throw new RangeError(`${where}: ${a.name} must have rank ${a.rank} (or ${a.rank + 1} with a leading batch dimension), got ${fmtShape(a.t.shape)}`);
    if (a.t.rank === a.rank + 1) {
      const bs = a.t.shape[0]!;
      if (B !== undefined && bs !== B) throw new RangeError(`${where}: batch sizes disagree: ${a.name} ${fmtShape(a.t.shape)} has ${bs}, an earlier argument ${B}`);
      B = bs;
    }
  }
  const tail = (a: Arg) => (a.t === null ? [] : a.t.shape.slice(a.t.rank - a.rank));
  const n = tail(args[1]!)[0]!;
  const m = G === null ? 0 : tail(args[2]!)[0]!;
  const r = A === null ? 0 : tail(args[4]!)[0]!;
  const want: Record<string, number[]> = { Q: [n, n], p: [n], G: [m, n], h: [m], A: [r, n], b: [r] };
  for (const a of args) {
    if (a.t === null) continue;
    const got = tail(a);
    if (fmtShape(got) !== fmtShape(want[a.name]!)) {
      throw new RangeError(`${where}: ${a.name} must be ${fmtShape(want[a.name]!)} per problem (n = ${n} from p, m = ${m} from G, r = ${r} from A), got ${fmtShape(a.t.shape)}`);
    }
  }
  if (n === 0) throw new RangeError(`${where}: p must have at least one entry, got ${fmtShape(p.shape)}`);
  const batch = B ?? 1;
  const values = args.map((a) => (a.t === null ? new Float64Array(0) : readF64(a.t)));
  args.forEach((a, i) => {
    if (a.t !== null) assertFinite(where, a.name, values[i]!, a.t.shape);
  });
  const per = [n * n, n, m * n, m, r * n, r];
  const problem = (k: number): Problem => {
    const view = (i: number) => {
      const t = args[i]!.t;
      const off = t !== null && t.rank === args[i]!.rank + 1 ? k * per[i]! : 0;
      return values[i]!.subarray(off, off + per[i]!);
    };
    return { Q: view(0), p: view(1), G: view(2), h: view(3), A: view(4), b: view(5) };
  };
  for (let k = 0; k < batch; k++) {
    const q = problem(k).Q;
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(q[i * n + i]!));
    if (!choleskyOk(q, n, 1e-10 * (1 + scale))) throw new RangeError(`${where}: Q${B !== undefined && Q.rank === 3 ? ` (batch element ${k})` : ''} is not positive semidefinite (the QP is not convex)`);
  }

  const solutions: Iterate[] = [];
  const solveAll = () => {
    solutions.length = 0;
    for (let k = 0; k < batch; k++) solutions.push(solveOne(where, problem(k), n, m, r, o.maxIter, o.tol, B === undefined ? undefined : k));
    const xs = new Float64Array(batch * n);
    for (const [k, s] of solutions.entries()) xs.set(s.x, k * n);
    return writeTensor(xs, B === undefined ? [n] : [batch, n], dtype, p.backend);
  };

  const present = args.filter((a) => a.t !== null);
  const layer = customVjp(
    function qpLayer(..._ts: Tensor[]) {
      return solveAll();
    },
    (...ts: Tensor[]) => {
      const x = solveAll();
      return [firstOrderOnly(where, ts, () => x), null] as [Tensor, null];
    },
    (_res, ct: Tensor) => {
      const grads = backward(ct);
      return present.map((a) => firstOrderOnly(where, [ct, ...present.map((q) => q.t!)], () => writeTensor(grads[a.name]!, a.t!.shape, dtype, a.t!.backend)));
    },
  );

  /** OptNet's gradients: with [dx; d̃λ; dν] solving K [dx; d̃λ; dν] = [−∂ℓ/∂x; 0; 0] at the solution. */
  const backward = (ct: Tensor): Record<string, Float64Array> => {
    const g = readF64(ct);
    assertFinite(where, 'the cotangent of x', g, ct.shape);
    const out: Record<string, Float64Array> = {};
    for (const [i, a] of args.entries()) if (a.t !== null) out[a.name] = new Float64Array(values[i]!.length);
    const N = n + m + r;
    for (let k = 0; k < batch; k++) {
      const P = problem(k);
      const { x, s, z, y } = solutions[k]!;
      const d = new Float64Array(m);
      for (let l = 0; l < m; l++) d[l] = s[l]! / z[l]!;
      const lu = luFactor(kkt(P, n, m, r, d), N);
      if (!lu) throw new RangeError(`${where}: ${SINGULAR} at the solution${B === undefined ? '' : ` (batch element ${k})`}; no gradient`);
      const rhs = new Float64Array(N);
      for (let i = 0; i < n; i++) rhs[i] = -g[k * n + i]!;
      luSolve(lu, rhs);
      const dx = rhs.subarray(0, n);
      const dl = rhs.subarray(n, n + m);
      const dnu = rhs.subarray(n + m);
      const at = (name: string, size: number) => {
        const t = args.find((a) => a.name === name)!.t!;
        return t.rank === (name === 'Q' || name === 'G' || name === 'A' ? 3 : 2) ? k * size : 0;
      };
      const oQ = at('Q', n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.Q![oQ + i * n + j]! += (dx[i]! * x[j]! + x[i]! * dx[j]!) / 2;
      const op = at('p', n);
      for (let i = 0; i < n; i++) out.p![op + i]! += dx[i]!;
      if (m > 0) {
        const oG = at('G', m * n);
        const oh = at('h', m);
        for (let l = 0; l < m; l++) {
          for (let i = 0; i < n; i++) out.G![oG + l * n + i]! += dl[l]! * x[i]! + z[l]! * dx[i]!;
          out.h![oh + l]! -= dl[l]!;
        }
      }
      if (r > 0) {
        const oA = at('A', r * n);
        const ob = at('b', r);
        for (let e = 0; e < r; e++) {
          for (let i = 0; i < n; i++) out.A![oA + e * n + i]! += dnu[e]! * x[i]! + y[e]! * dx[i]!;
          out.b![ob + e]! -= dnu[e]!;
        }
      }
    }
    return out;
  };

  const x = layer(...present.map((a) => a.t!));
  if (!o.details) return x;
  const gather = (pick: (s: Iterate) => Float64Array, size: number) => {
    const v = new Float64Array(batch * size);
    for (const [k, s] of solutions.entries()) v.set(pick(s), k * size);
    return writeTensor(v, B === undefined ? [size] : [batch, size], dtype, p.backend);
  };
  return { x, lambda: gather((s) => s.z, m), nu: gather((s) => s.y, r), slack: gather((s) => s.s, m), iterations: solutions.map((s) => s.iterations) };
}
