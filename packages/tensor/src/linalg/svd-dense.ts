// Thin SVD on row-major float64 (m ≥ n; a wide matrix goes through its transpose): Householder QR
// on the gemm when m > n (so the rest works on the n×n r), Householder bidiagonalisation
// (Golub–Kahan), the implicit-shift bidiagonal QR iteration with its deflation cases (as in
// LINPACK's dsvdc / JAMA, the algorithm ml-matrix runs), rotations logged and applied to u and v
// a chunk at a time, and the reflectors applied back through compact WY blocks on the gemm.
import { applyBlock, eye, householder, mm, normalizeScale, type ReflectorBlock, RotationLog, reflectorBlock, scaleByPow2, transposed } from './dense.js';
import { backSubstitute } from './lu-dense.js';
import { applyQ, type DenseQr, qrInPlace } from './qr-dense.js';

const NB = 128;

/** @internal A thin SVD: u m×k, s (k, descending, ≥ 0), v n×k, k = min(m, n), all row-major. */
export interface DenseSvd {
  u: Float64Array;
  s: Float64Array;
  v: Float64Array;
}

/** Groups reflectors (each v_j of length len − j... stored at full length len from r0) into blocks of NB. */
function blocksOf(vecs: Float64Array[], taus: number[], r0: number, total: number): ReflectorBlock[] {
  const out: ReflectorBlock[] = [];
  for (let j0 = 0; j0 < vecs.length; j0 += NB) {
    const nb = Math.min(NB, vecs.length - j0);
    const len = total - (r0 + j0);
    const vt = new Float64Array(nb * len);
    for (let j = 0; j < nb; j++) vt.set(vecs[j0 + j]!, j * len + j);
    out.push(reflectorBlock(r0 + j0, len, nb, vt, taus.slice(j0, j0 + nb)));
  }
  return out;
}

/**
 * Golub–Kahan bidiagonalisation of square n×n r (overwritten): d (diagonal), e (superdiagonal) and
 * the two reflector sets. One pass over the trailing rows per step: each row takes the left
 * reflector's update, its product with the right reflector and that update, and adds its share of
 * the next left reflector's row vector uᵀ·A (the next column is final once its row is updated).
 */
function bidiagonalize(r: Float64Array, n: number): { d: Float64Array; e: Float64Array; left: ReflectorBlock[]; right: ReflectorBlock[] } {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const lv: Float64Array[] = [];
  const lt: number[] = [];
  const rv: Float64Array[] = [];
  const rt: number[] = [];
  const w = new Float64Array(n);
  // wraw[c] = Σ_{i > k} x_i·r[i][c] for the next left reflector's column x (rows k + 1 .. and beyond its first).
  const wraw = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const xi = r[i * n]!;
    const o = i * n;
    for (let c = 1; c < n; c++) wraw[c] += xi * r[o + c]!;
  }
  for (let k = 0; k < n; k++) {
    // Left reflector: column k, rows k..n−1 (final values).
    const len = n - k;
    const u = new Float64Array(len);
    for (let i = 0; i < len; i++) u[i] = r[(k + i) * n + k]!;
    const alpha = u[0]!;
    const hl = householder(u, 0, len);
    u[0] = 1;
    d[k] = hl.beta;
    lv.push(u);
    lt.push(hl.tau);
    if (k >= n - 1) break;
    const c0 = k + 1;
    const wc = n - c0;
    // w = uᵀ·r[k:, k+1:] = r[k, k+1:] + f·wraw with u_i = f·x_i below the first entry.
    const tl = hl.tau;
    const f = tl === 0 ? 0 : 1 / (alpha - hl.beta);
    const rk = k * n + c0;
    for (let c = 0; c < wc; c++) {
      w[c] = r[rk + c]! + f * wraw[c0 + c]!;
      r[rk + c] -= tl * w[c]!;
    }
    // Right reflector: row k, columns k+1..n−1.
    const v = r.slice(rk, (k + 1) * n);
    const hr = householder(v, 0, wc);
    v[0] = 1;
    e[k] = hr.beta;
    rv.push(v);
    rt.push(hr.tau);
    const tr = hr.tau;
    wraw.fill(0);
    for (let i = k + 1; i < n; i++) {
      const o = i * n + c0;
      const fl = tl * u[i - k]!;
      let acc = 0;
      for (let c = 0; c < wc; c++) {
        const x = r[o + c]! - fl * w[c]!;
        r[o + c] = x;
        acc += x * v[c]!;
      }
      const g = tr * acc;
      const xi = r[o]! - g;
      r[o] = xi;
      if (i > k + 1) {
        for (let c = 1; c < wc; c++) {
          const x = r[o + c]! - g * v[c]!;
          r[o + c] = x;
          wraw[c0 + c] += xi * x;
        }
      } else {
        for (let c = 1; c < wc; c++) r[o + c] -= g * v[c]!;
      }
    }
  }
  return { d, e, left: blocksOf(lv, lt, 0, n), right: blocksOf(rv, rt, 1, n) };
}

/**
 * Implicit-shift QR on the upper bidiagonal (s, e) of order n (s becomes the singular values,
 * unsorted but ≥ 0), rotating the columns of u and v (n×n each, the identity to start) when given. False past the iteration budget.
 */
function bidiagonalQr(s: Float64Array, e: Float64Array, n: number, u: Float64Array | null, v: Float64Array | null): boolean {
  const ru = u && new RotationLog(u, n, n, true);
  const rv = v && new RotationLog(v, n, n, true);
  const flip = new Uint8Array(n);
  const eps = 2 ** -52;
  const tiny = 2 ** -966;
  let p = n;
  let budget = 75 * Math.max(n, 1);
  e[n - 1] = 0;
  while (p > 0) {
    if (--budget < 0) {
      ru?.flush();
      rv?.flush();
      return false;
    }
    let k: number;
    let kase: number;
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      if (Math.abs(e[k]!) <= tiny + eps * (Math.abs(s[k]!) + Math.abs(s[k + 1]!))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // Deflate a negligible s[p−1].
      let f = e[p - 2]!;
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = Math.hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1]!;
          e[j - 1] = cs * e[j - 1]!;
        }
        rv?.push(j, p - 1, cs, -sn);
      }
    } else if (kase === 2) {
      // Split at a negligible s[k−1].
      let f = e[k - 1]!;
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = Math.hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j]!;
        e[j] = cs * e[j]!;
        ru?.push(j, k - 1, cs, -sn);
      }
    } else if (kase === 3) {
      // One QR step with the shift from the trailing 2×2.
      const scale = Math.max(Math.abs(s[p - 1]!), Math.abs(s[p - 2]!), Math.abs(e[p - 2]!), Math.abs(s[k]!), Math.abs(e[k]!));
      const sp = s[p - 1]! / scale;
      const spm1 = s[p - 2]! / scale;
      const epm1 = e[p - 2]! / scale;
      const sk = s[k]! / scale;
      const ek = e[k]! / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = Math.hypot(f, g);
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j]! + sn * e[j]!;
        e[j] = cs * e[j]! - sn * s[j]!;
        g = sn * s[j + 1]!;
        s[j + 1] = cs * s[j + 1]!;
        rv?.push(j, j + 1, cs, -sn);
        t = Math.hypot(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j]! + sn * s[j + 1]!;
        s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
        g = sn * e[j + 1]!;
        e[j + 1] = cs * e[j + 1]!;
        ru?.push(j, j + 1, cs, -sn);
      }
      e[p - 2] = f;
    } else {
      // Converged: s[k] made non-negative (its column of v flipped once the rotations are in).
      if (s[k]! <= 0) {
        s[k] = s[k]! < 0 ? -s[k]! : 0;
        flip[k] = 1;
      }
      p--;
    }
  }
  ru?.flush();
  rv?.flush();
  for (let k = 0; k < n && v; k++) {
    if (!flip[k]) continue;
    for (let i = 0; i < n; i++) v[i * n + k] = -v[i * n + k]!;
  }
  return true;
}

/** Reorders the columns of row-major x (rows×n) by `order` (new column j = old column order[j]). */
function permuteColumns(x: Float64Array, rows: number, n: number, order: readonly number[]): void {
  const row = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) row[j] = x[o + order[j]!]!;
    x.set(row, o);
  }
}

/** The SVD r = u_r·diag(s)·vᵀ of square n×n r (overwritten; n ≥ 1), s descending. */
function svdSquare(r: Float64Array, n: number): { ur: Float64Array; s: Float64Array; v: Float64Array } | null {
  const { d, e, left, right } = bidiagonalize(r, n);
  const ub = eye(n);
  const vb = eye(n);
  if (!bidiagonalQr(d, e, n, ub, vb)) return null;
  // Descending order.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j]! - d[i]! || i - j);
  const s = Float64Array.from(order, (i) => d[i]!);
  permuteColumns(ub, n, n, order);
  permuteColumns(vb, n, n, order);
  for (let b = left.length - 1; b >= 0; b--) applyBlock(left[b]!, ub, n, 0, n, false);
  for (let b = right.length - 1; b >= 0; b--) applyBlock(right[b]!, vb, n, 0, n, false);
  return { ur: ub, s, v: vb };
}

/** The n×n upper triangle r of a QR-factored m×n a (m ≥ n). */
function upperOf(a: Float64Array, n: number): Float64Array {
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) r.set(a.subarray(i * n + i, (i + 1) * n), i * n + i);
  return r;
}

/** The SVD of m×n a (m ≥ n ≥ 1, overwritten) as a = q·[u_r·diag(s)·vᵀ; 0], u_r and v n×n, q's reflectors (null when m = n). */
function svdCore(a: Float64Array, m: number, n: number): { qf: DenseQr | null; ur: Float64Array; s: Float64Array; v: Float64Array } | null {
  const qf = m > n ? qrInPlace(a, m, n) : null;
  const core = svdSquare(qf ? upperOf(a, n) : a, n);
  return core && { qf, ...core };
}

/** @internal The thin SVD of row-major m×n a (overwritten); null when the iteration fails to converge. */
export function thinSvdDense(a: Float64Array, m: number, n: number): DenseSvd | null {
  if (m < n) {
    const t = thinSvdDense(transposed(a, m, n), n, m);
    return t && { u: t.v, s: t.s, v: t.u };
  }
  if (n === 0) return { u: new Float64Array(0), s: new Float64Array(0), v: new Float64Array(0) };
  const e = normalizeScale(a);
  const core = svdCore(a, m, n);
  if (!core) return null;
  const { qf, ur, s, v } = core;
  scaleByPow2(s, e);
  if (!qf) return { u: ur, s, v };
  const u = new Float64Array(m * n);
  u.set(ur);
  applyQ(qf, u, n);
  return { u, s, v };
}

/** @internal The singular values (descending) of row-major m×n a (overwritten), without vectors; null if the iteration fails. */
export function singularValuesDense(a: Float64Array, m: number, n: number): Float64Array | null {
  if (m < n) return singularValuesDense(transposed(a, m, n), n, m);
  if (n === 0) return new Float64Array(0);
  const e = normalizeScale(a);
  let r = a;
  if (m > n) {
    qrInPlace(a, m, n);
    r = new Float64Array(n * n);
    for (let i = 0; i < n; i++) r.set(a.subarray(i * n + i, (i + 1) * n), i * n + i);
  }
  const { d, e: sup } = bidiagonalize(r, n);
  if (!bidiagonalQr(d, sup, n, null, null)) return null;
  scaleByPow2(d, e);
  return d.sort().reverse();
}

/** Frobenius norm. */
function fro(x: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i]!));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i]! / scale) ** 2;
  return scale * Math.sqrt(ss);
}

/**
 * @internal The pseudo-inverse (n×m) of row-major m×n a (overwritten), singular values
 * ≤ rcond·s_max dropped; null if the SVD fails. a = q·r first (m ≥ n; a wide a through its
 * transpose). When 1/‖r⁻¹‖_F > rcond·‖r‖_F — a lower bound on s_min above an upper bound on the
 * cutoff, so no singular value is dropped — a⁺ = r⁻¹·qᵀ (the SVD's result in exact arithmetic,
 * without its iterations); otherwise a⁺ = v·diag(1/s)·u_rᵀ·qᵀ over the kept values.
 */
export function pinvDense(a: Float64Array, m: number, n: number, rcond: number): Float64Array | null {
  if (m < n) {
    const t = pinvDense(transposed(a, m, n), n, m, rcond);
    return t && transposed(t, m, n);
  }
  if (n === 0) return new Float64Array(0);
  const e = normalizeScale(a);
  const qf = qrInPlace(a, m, n);
  const r = upperOf(a, n);
  let rp: Float64Array | null = eye(n);
  backSubstitute(r, n, rp, n);
  const fi = fro(rp);
  if (!(Number.isFinite(fi) && fi > 0 && 1 / fi > rcond * fro(r))) {
    const core = svdSquare(r, n);
    if (!core) return null;
    const { ur, s, v } = core;
    const cutoff = rcond * s[0]!;
    let k = 0;
    while (k < n && s[k]! > cutoff) k++;
    // r⁺ = v_k·diag(1/s_k)·u_rkᵀ (n×k by k×n on the gemm).
    const vs = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) vs[i * k + j] = v[i * n + j]! / s[j]!;
    const ut = new Float64Array(k * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) ut[j * n + i] = ur[i * n + j]!;
    rp = mm(vs, ut, n, k, n);
  }
  // a⁺ = r⁺·qᵀ = (q·[r⁺ᵀ; 0])ᵀ.
  const x = new Float64Array(m * n);
  transposed(rp, n, n, x);
  applyQ(qf, x, n);
  const out = transposed(x, m, n);
  scaleByPow2(out, -e);
  return out;
}
