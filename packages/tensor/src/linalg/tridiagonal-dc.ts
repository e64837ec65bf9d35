// Divide and conquer for the symmetric tridiagonal eigenproblem (Cuppen; LAPACK's dstedc / dlaed*):
// T splits into two halves plus a rank-one correction; the halves are solved recursively (implicit
// QL below SMALL), the rank-one update D + ρ·z·zᵀ of their eigenvalues deflates negligible and
// nearly equal entries, solves the secular equation root by root (safeguarded Newton against the
// nearest pole), recomputes z from the roots (Gu–Eisenstat, for orthogonal eigenvectors), and the
// new eigenvectors are the halves' times those of the update: one gemm per level.
import { eye, mm } from './dense.js';
import { tridiagonalQl } from './tridiagonal-ql.js';

const SMALL = 32;
const EPS = 2 ** -52;

/** @internal Eigenvalues (ascending) and eigenvectors (columns of row-major n×n q) of the tridiagonal (d, e), e[i] coupling i and i + 1; null if QL fails below. */
export function tridiagonalDc(d: Float64Array, e: Float64Array, n: number): { values: Float64Array; q: Float64Array } | null {
  if (n <= SMALL) {
    const values = d.slice(0, n);
    const ee = e.slice(0, n);
    ee[n - 1] = 0;
    const q = eye(n);
    if (!tridiagonalQl(values, ee, n, q, true)) return null;
    return { values, q };
  }
  const k = n >> 1;
  const beta = e[k - 1]!;
  const rho = Math.abs(beta);
  const sigma = beta < 0 ? -1 : 1;
  const d1 = d.slice(0, k);
  d1[k - 1] -= rho;
  const e1 = e.slice(0, k);
  e1[k - 1] = 0;
  const d2 = d.slice(k, n);
  d2[0] -= rho;
  const e2 = e.slice(k, n);
  e2[n - k - 1] = 0;
  const left = tridiagonalDc(d1, e1, k);
  const right = tridiagonalDc(d2, e2, n - k);
  if (!left || !right) return null;
  // Qb = diag(Q1, Q2), D = [λ1; λ2], z = Qbᵀ·v with v = [e_(k−1); σ·e_0].
  const m2 = n - k;
  const qb = new Float64Array(n * n);
  for (let i = 0; i < k; i++) qb.set(left.q.subarray(i * k, (i + 1) * k), i * n);
  for (let i = 0; i < m2; i++) qb.set(right.q.subarray(i * m2, (i + 1) * m2), (k + i) * n + k);
  const D = new Float64Array(n);
  D.set(left.values);
  D.set(right.values, k);
  const z = new Float64Array(n);
  z.set(left.q.subarray((k - 1) * k, k * k));
  for (let j = 0; j < m2; j++) z[k + j] = sigma * right.q[j]!;
  return rankOneUpdate(D, z, rho, qb, n, k);
}

/**
 * Eigen-decomposition of Qb·(diag(D) + ρ·z·zᵀ)·Qbᵀ (ρ ≥ 0): values ascending, vectors Qb·U. Qb's
 * columns below `split` are zero in rows ≥ split and the others in rows < split (until deflation
 * mixes a pair), so Qb·U is two gemm products of half the height (LAPACK's dlaed3). qb is
 * overwritten (deflation's rotations act on its columns).
 */
function rankOneUpdate(D0: Float64Array, z0: Float64Array, rho0: number, qb: Float64Array, n: number, split: number): { values: Float64Array; q: Float64Array } {
  let zn = 0;
  for (let j = 0; j < n; j++) zn += z0[j]! * z0[j]!;
  const rho = rho0 * zn;
  const zs = zn > 0 ? 1 / Math.sqrt(zn) : 0;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => D0[a]! - D0[b]! || a - b);
  const D = Float64Array.from(order, (i) => D0[i]!);
  const z = Float64Array.from(order, (i) => z0[i]! * zs);
  // Sorted column j is qb's column order[j]: qb is read and rotated in place (no transposed copy),
  // and every gather below runs along qb's rows.
  let dmax = 0;
  for (let j = 0; j < n; j++) dmax = Math.max(dmax, Math.abs(D[j]!));
  const tol = 8 * EPS * Math.max(dmax, rho);
  // Support of each column: 1 rows < split only, 3 rows ≥ split only, 2 both.
  const kind = Uint8Array.from(order, (i) => (i < split ? 1 : 3));
  const kept: number[] = [];
  const deflated: number[] = [];
  let prev = -1;
  for (let j = 0; j < n; j++) {
    if (rho * Math.abs(z[j]!) <= tol) {
      deflated.push(j);
      continue;
    }
    if (prev >= 0) {
      const t = Math.hypot(z[j]!, z[prev]!);
      const c = z[j]! / t;
      const s = z[prev]! / t;
      if (Math.abs((D[j]! - D[prev]!) * c * s) <= tol) {
        // Rotate (prev, j) so that z[prev] = 0: prev deflates with the rotated value.
        const dp = D[prev]!;
        const dj = D[j]!;
        D[prev] = c * c * dp + s * s * dj;
        D[j] = s * s * dp + c * c * dj;
        z[prev] = 0;
        z[j] = t;
        const op = order[prev]!;
        const oj = order[j]!;
        for (let r = 0; r < n; r++) {
          const a = qb[r * n + op]!;
          const b = qb[r * n + oj]!;
          qb[r * n + op] = c * a - s * b;
          qb[r * n + oj] = s * a + c * b;
        }
        if (kind[prev] !== kind[j]) {
          kind[prev] = 2;
          kind[j] = 2;
        }
        deflated.push(prev);
        kept.pop();
      }
    }
    kept.push(j);
    prev = j;
  }
  const K = kept.length;
  const values = new Float64Array(n);
  const q = new Float64Array(n * n);
  // Secular equation 1 + ρ·Σ z_j²/(D_j − λ) = 0 over the kept entries, one root per interval.
  const dk = Float64Array.from(kept, (j) => D[j]!);
  const zk = Float64Array.from(kept, (j) => z[j]!);
  const z2 = Float64Array.from(zk, (v) => v * v);
  const org = new Int32Array(K);
  const tau = new Float64Array(K);
  const delta = new Float64Array(K);
  let zsum = 0;
  for (let j = 0; j < K; j++) zsum += z2[j]!;
  for (let i = 0; i < K; i++) {
    let o: number;
    let lo: number;
    let hi: number;
    if (i < K - 1) {
      const mid = (dk[i + 1]! - dk[i]!) / 2;
      // f at the midpoint decides which pole is nearer the root.
      let f = 1;
      for (let j = 0; j < K; j++) f += (rho * z2[j]!) / (dk[j]! - dk[i]! - mid);
      if (f >= 0) {
        o = i;
        lo = 0;
        hi = mid;
      } else {
        o = i + 1;
        lo = -mid;
        hi = 0;
      }
    } else {
      o = i;
      lo = 0;
      hi = rho * zsum;
    }
    const dorg = dk[o]!;
    let t = (lo + hi) / 2;
    for (let it = 0; it < 100; it++) {
      // ψ over the poles left of the root's interval (j ≤ i), φ over those right of it, with
      // their derivatives; each is modelled as a constant plus one pole at the interval's end
      // matching value and slope, and the model's root found exactly (a quadratic).
      let psi = 0;
      let dpsi = 0;
      let phi = 0;
      let dphi = 0;
      for (let j = 0; j <= i; j++) {
        const dl = dk[j]! - dorg - t;
        const w = (rho * z2[j]!) / dl;
        psi += w;
        dpsi += w / dl;
      }
      for (let j = i + 1; j < K; j++) {
        const dl = dk[j]! - dorg - t;
        const w = (rho * z2[j]!) / dl;
        phi += w;
        dphi += w / dl;
      }
      const g = 1 + psi + phi;
      if (g === 0) break;
      if (g > 0) hi = t;
      else lo = t;
      const di = dk[i]! - dorg - t;
      const q = dpsi * di * di;
      let step: number;
      if (i === K - 1) {
        const c = 1 + psi - q / di;
        step = c > 0 ? di + q / c : Number.NaN;
      } else {
        const dj = dk[i + 1]! - dorg - t;
        const sw = dphi * dj * dj;
        const c = 1 + psi - q / di + phi - sw / dj;
        const b = c * (di + dj) + q + sw;
        const cc = c * di * dj + q * dj + sw * di;
        if (c === 0) step = cc / b;
        else {
          const disc = Math.sqrt(Math.max(0, b * b - 4 * c * cc));
          const r1 = b >= 0 ? (b + disc) / (2 * c) : (2 * cc) / (b - disc);
          const r2 = b >= 0 ? (2 * cc) / (b + disc) : (b - disc) / (2 * c);
          step = r1 > di && r1 < dj ? r1 : r2;
        }
      }
      let tn = t + step;
      if (!(tn > lo && tn < hi)) tn = (lo + hi) / 2;
      const done = Math.abs(tn - t) <= 4 * EPS * Math.abs(tn) || hi - lo <= 4 * EPS * Math.max(Math.abs(lo), Math.abs(hi));
      t = tn;
      if (done) break;
    }
    org[i] = o;
    tau[i] = t;
  }
  // Gu–Eisenstat: the z for which the computed roots are exact, then U's columns.
  const zh = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    // λ_i − D_j = (D_org(i) − D_j) + τ_i.
    let p = (dk[org[K - 1]!]! - dk[j]! + tau[K - 1]!) / rho;
    for (let i = 0; i < K - 1; i++) {
      const num = dk[org[i]!]! - dk[j]! + tau[i]!;
      const den = i < j ? dk[i]! - dk[j]! : dk[i + 1]! - dk[j]!;
      p *= num / den;
    }
    zh[j] = (zk[j]! < 0 ? -1 : 1) * Math.sqrt(Math.abs(p));
  }
  const u = new Float64Array(K * K); // row j, column i: U[j][i]
  for (let i = 0; i < K; i++) {
    const dorg = dk[org[i]!]!;
    let ss = 0;
    for (let j = 0; j < K; j++) {
      delta[j] = zh[j]! / (dk[j]! - dorg - tau[i]!);
      ss += delta[j]! * delta[j]!;
    }
    const f = 1 / Math.sqrt(ss);
    for (let j = 0; j < K; j++) u[j * K + i] = delta[j]! * f;
  }
  // Kept columns times U on the gemm: the top rows from the columns with support there, likewise the bottom.
  const qnew = new Float64Array(n * K);
  for (const [r0, r1, a, b] of [
    [0, split, 1, 2],
    [split, n, 2, 3],
  ] as const) {
    const sel: number[] = [];
    for (let jj = 0; jj < K; jj++) {
      const t = kind[kept[jj]!]!;
      if (t === a || t === b) sel.push(jj);
    }
    const h = r1 - r0;
    const w = sel.length;
    if (w === 0 || h === 0) continue;
    const qs = new Float64Array(h * w);
    const phys = Int32Array.from(sel, (jj) => order[kept[jj]!]!);
    for (let r = 0; r < h; r++) {
      const o = (r0 + r) * n;
      const qo = r * w;
      for (let c = 0; c < w; c++) qs[qo + c] = qb[o + phys[c]!]!;
    }
    const us = new Float64Array(w * K);
    for (let c = 0; c < w; c++) us.set(u.subarray(sel[c]! * K, (sel[c]! + 1) * K), c * K);
    qnew.set(mm(qs, us, h, w, K), r0 * K);
  }
  // Gather all pairs and sort ascending.
  const vals: number[] = [];
  const src: number[] = []; // ≥ 0: deflated (sorted) column j; < 0: −1 − root index
  for (const j of deflated) {
    vals.push(D[j]!);
    src.push(j);
  }
  for (let i = 0; i < K; i++) {
    vals.push(dk[org[i]!]! + tau[i]!);
    src.push(-1 - i);
  }
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => vals[a]! - vals[b]! || a - b);
  // Column c of q from qb's column from[c] (≥ 0) or qnew's column −1 − from[c]; row by row.
  const from = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const w = idx[c]!;
    values[c] = vals[w]!;
    const sidx = src[w]!;
    from[c] = sidx >= 0 ? order[sidx]! : sidx;
  }
  for (let r = 0; r < n; r++) {
    const o = r * n;
    const qo = r * K;
    for (let c = 0; c < n; c++) {
      const f = from[c]!;
      q[o + c] = f >= 0 ? qb[o + f]! : qnew[qo - 1 - f]!;
    }
  }
  return { values, q };
}
