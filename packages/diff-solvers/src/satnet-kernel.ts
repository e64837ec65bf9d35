// The mixing method of Wang, Chang & Kolter (2017) for SATNet's SDP relaxation of MAXSAT (Wang,
// Donti, Wilder & Kolter 2019) and its analytic adjoint, on plain typed arrays: one board at a
// time, no tensors inside the loops. Variables are rows: V is N×k (row 0 is the truth direction
// v_⊤), S is N×m (row i is s_i).
//
// Two forms of the same coordinate step g_o = Σ_{j≠o} s_oᵀs_j v_j:
// - the clause form (the reference's): W = Σ_j v_j s_jᵀ stored k×m, g_o = W s_o − ‖s_o‖² v_o, then
//   the rank-one update W += (v_new − v_old) s_oᵀ — 2mk per step;
// - the Gram form: with C = SSᵀ, g_o = Σ_{j∈inputs} C_oj v_j (fixed for the whole solve) +
//   Σ_{j∈outputs, j≠o} C_oj v_j — |O|·k per step over the board's outputs O, no update to make.
// The caller picks the cheaper one (Gram when |O| < 2m, as in sudoku); both give the same
// iterates up to rounding. Products run 4 rows at a time over contiguous rows.

/** The clause matrix of one call, shared by every board. */
export interface MixProblem {
  /** Variables including the truth variable 0 and the auxiliary ones. */
  N: number;
  m: number;
  k: number;
  /** S row-major N×m. */
  S: Float64Array;
  /** ‖s_i‖², N. */
  Snrm: Float64Array;
  /** C = SSᵀ row-major N×N, for the Gram form (absent: the clause form runs). */
  C?: Float64Array;
}

/** One board after the forward pass: what the backward pass needs. */
export interface MixBoard {
  /** Final unit vectors, N×k. */
  V: Float64Array;
  /** W = Σ_i v_i s_iᵀ at the end, k×m (clause form only). */
  W?: Float64Array;
  /** ‖g_i‖ at the last update of each output variable, N. */
  gnrm: Float64Array;
  /** Signs of the inputs' second coordinate (the reference's copysign of a Gaussian draw), N. */
  sigma: Int8Array;
  /** Output variables in their update order. */
  order: Int32Array;
  /** Sweeps over the outputs the forward pass made. */
  sweeps: number;
  /** Relaxed values: inputs as given, outputs arccos(−v_o·v_⊤)/π, N. */
  z: Float64Array;
}

/** ‖s_i‖² for every row of S (N×m). */
export function rowNorms(S: Float64Array, N: number, m: number): Float64Array {
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    const o = i * m;
    for (let j = 0; j < m; j++) s += S[o + j]! * S[o + j]!;
    out[i] = s;
  }
  return out;
}

/** g = M s_i − c·x_i for M k×m, the coordinate kernel's product (4 rows of M per pass over s_i). */
function product(M: Float64Array, S: Float64Array, si: number, m: number, k: number, c: number, x: Float64Array, xi: number, g: Float64Array): void {
  let kk = 0;
  for (; kk + 4 <= k; kk += 4) {
    const r0 = kk * m;
    const r1 = r0 + m;
    const r2 = r1 + m;
    const r3 = r2 + m;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let j = 0; j < m; j++) {
      const s = S[si + j]!;
      a0 += M[r0 + j]! * s;
      a1 += M[r1 + j]! * s;
      a2 += M[r2 + j]! * s;
      a3 += M[r3 + j]! * s;
    }
    g[kk] = a0 - c * x[xi + kk]!;
    g[kk + 1] = a1 - c * x[xi + kk + 1]!;
    g[kk + 2] = a2 - c * x[xi + kk + 2]!;
    g[kk + 3] = a3 - c * x[xi + kk + 3]!;
  }
  for (; kk < k; kk++) {
    const r = kk * m;
    let a = 0;
    for (let j = 0; j < m; j++) a += M[r + j]! * S[si + j]!;
    g[kk] = a - c * x[xi + kk]!;
  }
}

/** M += d s_iᵀ for M k×m (rank-one update, 4 rows per pass over s_i). */
function rankOne(M: Float64Array, S: Float64Array, si: number, m: number, k: number, d: Float64Array): void {
  let kk = 0;
  for (; kk + 4 <= k; kk += 4) {
    const d0 = d[kk]!;
    const d1 = d[kk + 1]!;
    const d2 = d[kk + 2]!;
    const d3 = d[kk + 3]!;
    const r0 = kk * m;
    const r1 = r0 + m;
    const r2 = r1 + m;
    const r3 = r2 + m;
    for (let j = 0; j < m; j++) {
      const s = S[si + j]!;
      M[r0 + j]! += d0 * s;
      M[r1 + j]! += d1 * s;
      M[r2 + j]! += d2 * s;
      M[r3 + j]! += d3 * s;
    }
  }
  for (; kk < k; kk++) {
    const dk = d[kk]!;
    if (dk === 0) continue;
    const r = kk * m;
    for (let j = 0; j < m; j++) M[r + j]! += dk * S[si + j]!;
  }
}

/** g = M x_a-column-product: g[kk] = Σ_j M[kk·len + j]·r[ri + j] − c·M[kk·len + a], M k×len (4 rows per pass). */
function productCols(M: Float64Array, r: Float64Array, ri: number, len: number, k: number, c: number, a: number, g: Float64Array): void {
  let kk = 0;
  for (; kk + 4 <= k; kk += 4) {
    const r0 = kk * len;
    const r1 = r0 + len;
    const r2 = r1 + len;
    const r3 = r2 + len;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let j = 0; j < len; j++) {
      const s = r[ri + j]!;
      a0 += M[r0 + j]! * s;
      a1 += M[r1 + j]! * s;
      a2 += M[r2 + j]! * s;
      a3 += M[r3 + j]! * s;
    }
    g[kk] = a0 - c * M[r0 + a]!;
    g[kk + 1] = a1 - c * M[r1 + a]!;
    g[kk + 2] = a2 - c * M[r2 + a]!;
    g[kk + 3] = a3 - c * M[r3 + a]!;
  }
  for (; kk < k; kk++) {
    const r0 = kk * len;
    let acc = 0;
    for (let j = 0; j < len; j++) acc += M[r0 + j]! * r[ri + j]!;
    g[kk] = acc - c * M[r0 + a]!;
  }
}

/** The starting vectors (inputs on the (e_0, e_1) plane, outputs random unit) and the update order. */
function start(N: number, k: number, z: Float64Array, isInput: Uint8Array, perm: Int32Array, gauss: Float64Array) {
  const V = new Float64Array(N * k);
  const sigma = new Int8Array(N);
  V[0] = 1; // v_⊤ = e_0
  for (let i = 1; i < N; i++) {
    const o = i * k;
    if (isInput[i]) {
      sigma[i] = gauss[o + 1]! < 0 ? -1 : 1;
      V[o] = -Math.cos(Math.PI * z[i]!);
      V[o + 1] = sigma[i]! * Math.sin(Math.PI * z[i]!);
    } else {
      let nrm = 0;
      for (let kk = 0; kk < k; kk++) nrm += gauss[o + kk]! * gauss[o + kk]!;
      nrm = Math.sqrt(nrm);
      for (let kk = 0; kk < k; kk++) V[o + kk] = gauss[o + kk]! / nrm;
    }
  }
  let outputs = 0;
  for (let t = 0; t < perm.length; t++) if (!isInput[perm[t]!]) outputs++;
  const order = new Int32Array(outputs);
  for (let t = 0, j = 0; t < perm.length; t++) if (!isInput[perm[t]!]) order[j++] = perm[t]!;
  return { V, sigma, order };
}

/**
 * The mixing-method forward pass for one board. `z` and `isInput` have N entries (entry 0 is the
 * truth variable, an input with z = 1); `gauss` holds N×k standard normal draws (the outputs'
 * random start and the inputs' signs), `perm` a permutation of 1..N−1 (the update order).
 * Coordinate descent v_o ← −g_o/‖g_o‖ sweeps until the objective's decrease in a sweep falls
 * below `eps` times the first sweep's, or `maxIter` sweeps. Runs the Gram form when `p.C` is set.
 */
export function mixForward(p: MixProblem, z: Float64Array, isInput: Uint8Array, perm: Int32Array, gauss: Float64Array, maxIter: number, eps: number): MixBoard {
  const { N, m, k, S, Snrm, C } = p;
  const { V, sigma, order } = start(N, k, z, isInput, perm, gauss);
  const outputs = order.length;
  const g = new Float64Array(k);
  const d = new Float64Array(k);
  const gnrm = new Float64Array(N);
  let threshold = 0;
  let sweeps = 0;
  let W: Float64Array | undefined;

  if (C) {
    const P = outputs;
    const Coo = new Float64Array(P * P);
    const VT = new Float64Array(k * P);
    const G0 = new Float64Array(P * k);
    for (let a = 0; a < P; a++) {
      const ia = order[a]! * N;
      for (let b = 0; b < P; b++) Coo[a * P + b] = C[ia + order[b]!]!;
      for (let kk = 0; kk < k; kk++) VT[kk * P + a] = V[order[a]! * k + kk]!;
      for (let j = 0; j < N; j++) {
        if (!isInput[j]) continue;
        const c = C[ia + j]!;
        if (c === 0) continue;
        for (let kk = 0; kk < k; kk++) G0[a * k + kk]! += c * V[j * k + kk]!;
      }
    }
    for (let iter = 0; iter < maxIter; iter++) {
      let delta = 0;
      for (let a = 0; a < P; a++) {
        productCols(VT, Coo, a * P, P, k, Coo[a * P + a]!, a, g);
        let gn = 0;
        for (let kk = 0; kk < k; kk++) {
          g[kk]! += G0[a * k + kk]!;
          gn += g[kk]! * g[kk]!;
        }
        gn = Math.sqrt(gn);
        gnrm[order[a]!] = gn;
        if (gn === 0) continue; // v_o does not enter the objective; keep it
        let dd = 0;
        for (let kk = 0; kk < k; kk++) {
          const v = -g[kk]! / gn;
          const dk = v - VT[kk * P + a]!;
          dd += dk * dk;
          VT[kk * P + a] = v;
        }
        delta += gn * dd;
      }
      sweeps++;
      if (iter === 0) threshold = delta * eps;
      else if (delta < threshold) break;
    }
    for (let a = 0; a < P; a++) for (let kk = 0; kk < k; kk++) V[order[a]! * k + kk] = VT[kk * P + a]!;
  } else {
    // W = Σ_i v_i s_iᵀ
    W = new Float64Array(k * m);
    const col = new Float64Array(k);
    for (let i = 0; i < N; i++) {
      for (let kk = 0; kk < k; kk++) col[kk] = V[i * k + kk]!;
      rankOne(W, S, i * m, m, k, col);
    }
    for (let iter = 0; iter < maxIter; iter++) {
      let delta = 0;
      for (let t = 0; t < outputs; t++) {
        const i = order[t]!;
        const vi = i * k;
        product(W, S, i * m, m, k, Snrm[i]!, V, vi, g);
        let gn = 0;
        for (let kk = 0; kk < k; kk++) gn += g[kk]! * g[kk]!;
        gn = Math.sqrt(gn);
        gnrm[i] = gn;
        if (gn === 0) continue; // v_o does not enter the objective; keep it
        let dd = 0;
        for (let kk = 0; kk < k; kk++) {
          const v = -g[kk]! / gn;
          const dk = v - V[vi + kk]!;
          d[kk] = dk;
          dd += dk * dk;
          V[vi + kk] = v;
        }
        rankOne(W, S, i * m, m, k, d);
        delta += gn * dd;
      }
      sweeps++;
      if (iter === 0) threshold = delta * eps;
      else if (delta < threshold) break;
    }
  }

  const zOut = Float64Array.from(z);
  zOut[0] = 1;
  for (let t = 0; t < outputs; t++) {
    const i = order[t]!;
    const c = Math.min(1, Math.max(-1, -V[i * k]!));
    zOut[i] = Math.acos(c) / Math.PI;
  }
  return { V, W, gnrm, sigma, order, sweeps, z: zOut };
}

/** The adjoint step u_new = −P_o (g + ∂ℓ/∂v_o) / (‖g_o‖ + λ), P_o = I − v_o v_oᵀ, ∂ℓ/∂v_o = dv·e_0, into `out`. */
function adjointStep(V: Float64Array, vi: number, k: number, g: Float64Array, dv: number, inv: number, out: Float64Array): void {
  let c = dv * V[vi]!;
  for (let kk = 0; kk < k; kk++) c += V[vi + kk]! * g[kk]!;
  for (let kk = 0; kk < k; kk++) out[kk] = (-g[kk]! + c * V[vi + kk]!) * inv;
  out[0]! -= dv * inv;
}

/** Why the backward pass of one board cannot give a gradient (the caller names the board). */
export class MixBackwardError extends Error {}

/**
 * The analytic backward pass of one board (SATNet §3.2): with ∂ℓ/∂v_o = dz_o/(π sin πz_o)·v_⊤, the
 * same coordinate kernel solves (‖g_o‖ + λ) u_o + P_o Σ_{j≠o} s_oᵀs_j u_j = −P_o ∂ℓ/∂v_o,
 * P_o = I − v_o v_oᵀ, for as many sweeps as the forward pass made, starting from U = 0. Returns U
 * (N×k, zero at inputs) — then ∂ℓ/∂S = U W + V Φ = (U Vᵀ + V Uᵀ) S with Φ = Σ_o u_o s_oᵀ — and
 * ∂ℓ/∂z_ι = dz_ι + (Φ s_ι)ᵀ ∂v_ι/∂z_ι at each input ι (zero at outputs).
 */
export function mixBackward(p: MixProblem, b: MixBoard, isInput: Uint8Array, dz: Float64Array, proxLambda: number): { U: Float64Array; dzIn: Float64Array } {
  const { N, m, k, S, Snrm, C } = p;
  const { V, gnrm, order, z } = b;
  const outputs = order.length;
  const dv = new Float64Array(N);
  for (let t = 0; t < outputs; t++) {
    const i = order[t]!;
    const c = dz[i]!;
    if (c === 0) continue;
    const s = Math.sin(Math.PI * z[i]!);
    if (!(s > 0)) throw new MixBackwardError(`output variable ${i} sits at z = ${z[i]} where arccos has no derivative (v_o = ±v_⊤), and its cotangent is ${c}`);
    dv[i] = c / (Math.PI * s);
  }
  for (let t = 0; t < outputs; t++) {
    const i = order[t]!;
    if (!(gnrm[i]! + proxLambda > 1e-24)) throw new MixBackwardError(`output variable ${i} has ‖g‖ = ${gnrm[i]} and proxLambda = ${proxLambda}: the adjoint system is singular there`);
  }

  const U = new Float64Array(N * k);
  const g = new Float64Array(k);
  const d = new Float64Array(k);
  const unew = new Float64Array(k);
  const dzIn = new Float64Array(N);
  // Φ s_ι's first two coordinates for each input ι, filled by the form below.
  const phi0 = new Float64Array(N);
  const phi1 = new Float64Array(N);

  if (C) {
    const P = outputs;
    const Coo = new Float64Array(P * P);
    for (let a = 0; a < P; a++) for (let bb = 0; bb < P; bb++) Coo[a * P + bb] = C[order[a]! * N + order[bb]!]!;
    const UT = new Float64Array(k * P);
    for (let sweep = 0; sweep < b.sweeps; sweep++) {
      for (let a = 0; a < P; a++) {
        productCols(UT, Coo, a * P, P, k, Coo[a * P + a]!, a, g);
        adjointStep(V, order[a]! * k, k, g, dv[order[a]!]!, 1 / (gnrm[order[a]!]! + proxLambda), unew);
        for (let kk = 0; kk < k; kk++) UT[kk * P + a] = unew[kk]!;
      }
    }
    for (let a = 0; a < P; a++) for (let kk = 0; kk < k; kk++) U[order[a]! * k + kk] = UT[kk * P + a]!;
    for (let i = 1; i < N; i++) {
      if (!isInput[i]) continue;
      let a0 = 0;
      let a1 = 0;
      for (let a = 0; a < P; a++) {
        const c = C[i * N + order[a]!]!;
        a0 += c * UT[a]!;
        a1 += c * UT[P + a]!;
      }
      phi0[i] = a0;
      phi1[i] = a1;
    }
  } else {
    const Phi = new Float64Array(k * m);
    for (let sweep = 0; sweep < b.sweeps; sweep++) {
      for (let t = 0; t < outputs; t++) {
        const i = order[t]!;
        const vi = i * k;
        product(Phi, S, i * m, m, k, Snrm[i]!, U, vi, g);
        adjointStep(V, vi, k, g, dv[i]!, 1 / (gnrm[i]! + proxLambda), unew);
        for (let kk = 0; kk < k; kk++) {
          d[kk] = unew[kk]! - U[vi + kk]!;
          U[vi + kk] = unew[kk]!;
        }
        rankOne(Phi, S, i * m, m, k, d);
      }
    }
    for (let i = 1; i < N; i++) {
      if (!isInput[i]) continue;
      const r = i * m;
      let a0 = 0;
      let a1 = 0;
      for (let j = 0; j < m; j++) {
        a0 += Phi[j]! * S[r + j]!;
        a1 += Phi[m + j]! * S[r + j]!;
      }
      phi0[i] = a0;
      phi1[i] = a1;
    }
  }
  for (let i = 0; i < U.length; i++) if (!Number.isFinite(U[i]!)) throw new MixBackwardError('the adjoint iterations diverged (non-finite U)');
  for (let i = 1; i < N; i++) {
    if (!isInput[i]) continue;
    const zi = z[i]!;
    dzIn[i] = dz[i]! + Math.PI * Math.sin(Math.PI * zi) * phi0[i]! + b.sigma[i]! * Math.PI * Math.cos(Math.PI * zi) * phi1[i]!;
  }
  return { U, dzIn };
}
