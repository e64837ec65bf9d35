// Dense float64 building blocks of the linalg routines: row-major Float64Array matrices, the cpu
// backend's gemm (WebAssembly SIMD where available, shared with its worker threads) for the big
// products, and Householder reflectors grouped into compact-WY blocks (I − V·T·Vᵀ).
import { gemmBatch } from '../backends/cpu/kernels/matmul-parallel.js';

/** @internal c (m×n) = a (m×k) · b (k×n), all row-major and contiguous, on the cpu backend's gemm. */
export function mm(a: Float64Array, b: Float64Array, m: number, k: number, n: number, c = new Float64Array(m * n)): Float64Array {
  if (m === 0 || n === 0) return c;
  if (k === 0) return c.fill(0, 0, m * n);
  if (m * k * n <= 4096) {
    // Small products (small matrices, thin blocks): a plain loop, without the dispatch of a batch.
    c.fill(0, 0, m * n);
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[i * k + p]!;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j]!;
      }
    }
    return c;
  }
  gemmBatch({ a, aOff: 0, aStride: 0, b, bOff: 0, bStride: 0, c, cOff: 0, cStride: 0, batch: 1, m, k, n });
  return c;
}

/** @internal The transpose (n×m) of row-major a (m×n). */
export function transposed(a: Float64Array, m: number, n: number, out = new Float64Array(m * n)): Float64Array {
  // Blocked so that both the reads and the writes stay within a few cache lines.
  const B = 32;
  for (let i0 = 0; i0 < m; i0 += B) {
    const i1 = Math.min(m, i0 + B);
    for (let j0 = 0; j0 < n; j0 += B) {
      const j1 = Math.min(n, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * m + i] = a[i * n + j]!;
    }
  }
  return out;
}

/** @internal Copies the block rows [r0, r0+h) × cols [c0, c0+w) of row-major a (row stride ld) into a contiguous h×w array. */
export function getBlock(a: Float64Array, ld: number, r0: number, c0: number, h: number, w: number, out = new Float64Array(h * w)): Float64Array {
  for (let i = 0; i < h; i++) out.set(a.subarray((r0 + i) * ld + c0, (r0 + i) * ld + c0 + w), i * w);
  return out;
}

/** @internal a[r0+i, c0+j] −= d[i, j] for the h×w contiguous d. */
export function subBlock(a: Float64Array, ld: number, r0: number, c0: number, h: number, w: number, d: Float64Array): void {
  for (let i = 0; i < h; i++) {
    const o = (r0 + i) * ld + c0;
    const q = i * w;
    for (let j = 0; j < w; j++) a[o + j] -= d[q + j]!;
  }
}

/** @internal The n×n identity. */
export function eye(n: number): Float64Array {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}

/**
 * @internal Householder reflector of x = [alpha, x[1..len)] (LAPACK's dlarfg): H = I − τ·v·vᵀ with
 * v[0] = 1 and H·x = [β, 0, …]. Overwrites x[1..] (entries off + stride·i) with v[1..] and
 * returns { tau, beta }; τ = 0 (H = I) when x[1..] is already zero.
 */
export function householder(x: Float64Array, off: number, len: number, stride = 1): { tau: number; beta: number } {
  const alpha = x[off]!;
  let scale = 0;
  for (let i = 1; i < len; i++) scale = Math.max(scale, Math.abs(x[off + i * stride]!));
  if (scale === 0) return { tau: 0, beta: alpha };
  // ‖x[1..]‖ scaled against overflow and underflow.
  let ss = 0;
  for (let i = 1; i < len; i++) {
    const t = x[off + i * stride]! / scale;
    ss += t * t;
  }
  const xnorm = scale * Math.sqrt(ss);
  const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
  const tau = (beta - alpha) / beta;
  const f = 1 / (alpha - beta);
  for (let i = 1; i < len; i++) x[off + i * stride] *= f;
  return { tau, beta };
}

/**
 * @internal nb reflectors H_j = I − τ_j·v_j·v_jᵀ acting on rows [r0, r0 + len) of whatever they
 * are applied to, stored as the rows of `vt` (nb×len; v_j is 0 before entry j and 1 at j), with
 * the upper-triangular T of the compact WY form H_0·H_1⋯H_{nb−1} = I − V·T·Vᵀ (LAPACK's dlarft).
 */
export interface ReflectorBlock {
  r0: number;
  len: number;
  nb: number;
  vt: Float64Array;
  t: Float64Array;
}

/** @internal Builds a ReflectorBlock from its reflectors (vt as described there) and their τ. */
export function reflectorBlock(r0: number, len: number, nb: number, vt: Float64Array, tau: ArrayLike<number>): ReflectorBlock {
  const t = new Float64Array(nb * nb);
  const w = new Float64Array(nb);
  // The Gram matrix VᵀV on the gemm for deep blocks (its upper triangle is used: v_jᵀ·v_i, j < i; the
  // zeros of v_i before entry i add nothing), else each product over v_i's non-zero part.
  const gram = nb * nb * len >= 32768 ? mm(vt, transposed(vt, nb, len), nb, len, nb) : null;
  for (let i = 0; i < nb; i++) {
    const ti = tau[i]!;
    t[i * nb + i] = ti;
    if (ti === 0) continue;
    // w[j] = v_jᵀ·v_i for j < i (v_i is zero before entry i).
    const vi = i * len;
    for (let j = 0; j < i; j++) {
      if (gram) {
        w[j] = gram[j * nb + i]!;
        continue;
      }
      const vj = j * len;
      let s = 0;
      for (let p = i; p < len; p++) s += vt[vj + p]! * vt[vi + p]!;
      w[j] = s;
    }
    // T[0:i, i] = −τ_i · T[0:i, 0:i] · w
    for (let r = 0; r < i; r++) {
      let s = 0;
      for (let j = r; j < i; j++) s += t[r * nb + j]! * w[j]!;
      t[r * nb + i] = -ti * s;
    }
  }
  return { r0, len, nb, vt, t };
}

/**
 * @internal x[r0:r0+len, c0:c0+w] ← (I − V·T·Vᵀ)·x (the block's product H_0⋯H_{nb−1}) or, with
 * `trans`, (I − V·Tᵀ·Vᵀ)·x (its transpose), for row-major x with row stride ld; the two large
 * products run on the gemm.
 */
export function applyBlock(blk: ReflectorBlock, x: Float64Array, ld: number, c0: number, w: number, trans: boolean): void {
  const { r0, len, nb, vt, t } = blk;
  if (w === 0 || len === 0) return;
  const xs = getBlock(x, ld, r0, c0, len, w);
  const y = mm(vt, xs, nb, len, w); // Vᵀ·x (nb×w)
  // y ← T·y or Tᵀ·y: T is triangular, but nb×nb×w multiply-adds are worth the gemm's speed over
  // a triangular loop's (the zeros below T's diagonal add nothing).
  const z = mm(trans ? transposed(t, nb, nb) : t, y, nb, nb, w);
  const d = mm(transposed(vt, nb, len), z, len, nb, w); // V·z (len×w)
  subBlock(x, ld, r0, 0 + c0, len, w, d);
}

/** @internal Applies a reflector j of a block alone (no gemm), for products too small to block: x ← H_j·x on columns [c0, c0+w). */
export function applyOne(vt: Float64Array, vOff: number, from: number, len: number, tau: number, r0: number, x: Float64Array, ld: number, c0: number, w: number, acc: Float64Array): void {
  if (tau === 0) return;
  acc.fill(0, 0, w);
  for (let p = from; p < len; p++) {
    const vp = vt[vOff + p]!;
    if (vp === 0) continue;
    const o = (r0 + p) * ld + c0;
    for (let c = 0; c < w; c++) acc[c] += vp * x[o + c]!;
  }
  for (let p = from; p < len; p++) {
    const vp = tau * vt[vOff + p]!;
    if (vp === 0) continue;
    const o = (r0 + p) * ld + c0;
    for (let c = 0; c < w; c++) x[o + c] -= vp * acc[c]!;
  }
}

/**
 * @internal Plane rotations recorded in order and applied later to the columns of a row-major
 * matrix z (rows×n): rotation (i, j, c, s) sets z[:, i] ← c·z[:, i] − s·z[:, j] and
 * z[:, j] ← s·z[:, i] + c·z[:, j]. Applying a chunk of them to a few rows at a time keeps those
 * rows in cache (each rotation alone would stream the whole of z through memory).
 */
export class RotationLog {
  private readonly idx: Int32Array;
  private readonly cs: Float64Array;
  private count = 0;

  // Per group of rows (indexed by its first row): the columns [lo, hi] outside which its entries
  // are known to be zero, so rotations of zero columns are skipped (z starting as the identity
  // fills in gradually).
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;

  /** `identity`: z is the identity now (rows = n), else it is taken as dense. */
  constructor(
    private readonly z: Float64Array,
    private readonly rows: number,
    private readonly n: number,
    identity = false,
    // QR and QL iterations take about n² rotations in all: small matrices get small logs.
    capacity = Math.min(1 << 14, Math.max(64, 2 * n * n)),
  ) {
    this.idx = new Int32Array(2 * capacity);
    this.cs = new Float64Array(2 * capacity);
    this.lo = new Int32Array(rows);
    this.hi = new Int32Array(rows).fill(n - 1);
    if (identity) {
      let r = 0;
      for (; r + 4 <= rows; r += 4) {
        this.lo[r] = r;
        this.hi[r] = r + 3;
      }
      for (; r < rows; r++) {
        this.lo[r] = r;
        this.hi[r] = r;
      }
    }
  }

  /** Records one rotation of columns i and j. */
  push(i: number, j: number, c: number, s: number): void {
    if (2 * this.count === this.idx.length) this.flush();
    const q = 2 * this.count++;
    this.idx[q] = i;
    this.idx[q + 1] = j;
    this.cs[q] = c;
    this.cs[q + 1] = s;
  }

  /**
   * Applies the recorded rotations to z and forgets them. Runs of rotations on neighbouring
   * columns ((i, i+1) then (i+1, i+2), or (i, i+1) then (i−1, i): one sweep of a QR or QL step)
   * carry the shared column in a register, so each rotation loads and stores one entry per row.
   */
  flush(): void {
    const { rows, idx, count } = this;
    // Segments: [start, end) with dir +1 (ascending run), −1 (descending run) or 0 (one general rotation).
    const segs: number[] = [];
    for (let q = 0; q < count; ) {
      const i = idx[2 * q]!;
      let e = q + 1;
      let dir = 0;
      if (idx[2 * q + 1] === i + 1 && e < count && idx[2 * e + 1] === idx[2 * e]! + 1) {
        const step = idx[2 * e]! - i;
        if (step === 1 || step === -1) {
          dir = step;
          while (e < count && idx[2 * e + 1] === idx[2 * e]! + 1 && idx[2 * e]! === idx[2 * e - 2]! + dir) e++;
        }
      }
      segs.push(q, e, dir);
      q = e;
    }
    let r = 0;
    for (; r + 4 <= rows; r += 4) this.apply(r, 4, segs);
    for (; r < rows; r++) this.apply(r, 1, segs);
    this.count = 0;
  }

  /**
   * The segments on `count` rows (1 or 4) from row r, each cut to the rotations that touch the
   * rows' possibly non-zero columns [lo, hi] (a run's carry spreads the fill to its end).
   */
  private apply(r: number, count: number, segs: readonly number[]): void {
    const { idx, n } = this;
    let lo = this.lo[r]!;
    let hi = this.hi[r]!;
    const o = r * n;
    for (let g = 0; g < segs.length; g += 3) {
      let q0 = segs[g]!;
      const q1 = segs[g + 1]!;
      const dir = segs[g + 2]!;
      if (dir === 1) {
        // Rotations (i, i+1), i = i0, i0 + 1, …: those with i + 1 < lo see zeros only.
        const i0 = idx[2 * q0]!;
        if (i0 + 1 < lo) q0 += lo - 1 - i0;
        if (q0 >= q1) continue;
        const first = idx[2 * q0]!;
        if (first > hi) continue;
        lo = Math.min(lo, first);
        hi = Math.max(hi, idx[2 * q1 - 2]! + 1);
      } else if (dir === -1) {
        // Rotations (i, i+1), i = i0, i0 − 1, …: those with i > hi see zeros only.
        const i0 = idx[2 * q0]!;
        if (i0 > hi) q0 += i0 - hi;
        if (q0 >= q1) continue;
        const first = idx[2 * q0]!;
        if (first + 1 < lo) continue;
        hi = Math.max(hi, first + 1);
        lo = Math.min(lo, idx[2 * q1 - 2]!);
      } else {
        const i = idx[2 * q0]!;
        const j = idx[2 * q0 + 1]!;
        if (!((i >= lo && i <= hi) || (j >= lo && j <= hi))) continue;
        lo = Math.min(lo, i, j);
        hi = Math.max(hi, i, j);
      }
      if (count === 4) this.run4(o, q0, q1, dir);
      else this.run1(o, q0, q1, dir);
    }
    this.lo[r] = lo;
    this.hi[r] = hi;
  }

  /** Rotations [q0, q1) of one segment on the one row at offset o. */
  private run1(o: number, q0: number, q1: number, dir: number): void {
    const { z, idx, cs } = this;
      if (dir === 1) {
        let i = o + idx[2 * q0]!;
        let x = z[i]!;
        for (let q = q0; q < q1; q++, i++) {
          const c = cs[2 * q]!;
          const s = cs[2 * q + 1]!;
          const y = z[i + 1]!;
          z[i] = c * x - s * y;
          x = s * x + c * y;
        }
        z[i] = x;
      } else if (dir === -1) {
        let i = o + idx[2 * q0]!;
        let y = z[i + 1]!;
        for (let q = q0; q < q1; q++, i--) {
          const c = cs[2 * q]!;
          const s = cs[2 * q + 1]!;
          const x = z[i]!;
          z[i + 1] = s * x + c * y;
          y = c * x - s * y;
        }
        z[i + 1] = y;
      } else {
        const c = cs[2 * q0]!;
        const s = cs[2 * q0 + 1]!;
        const i = o + idx[2 * q0]!;
        const j = o + idx[2 * q0 + 1]!;
        const x = z[i]!;
        const y = z[j]!;
        z[i] = c * x - s * y;
        z[j] = s * x + c * y;
      }
  }

  /** Rotations [q0, q1) of one segment on the four rows from offset o (the rotation data read once for all four). */
  private run4(o: number, q0: number, q1: number, dir: number): void {
    const { z, idx, cs, n } = this;
    const o1 = n;
    const o2 = 2 * n;
    const o3 = 3 * n;
      if (dir === 1) {
        let i = o + idx[2 * q0]!;
        let x0 = z[i]!;
        let x1 = z[i + o1]!;
        let x2 = z[i + o2]!;
        let x3 = z[i + o3]!;
        for (let q = q0; q < q1; q++, i++) {
          const c = cs[2 * q]!;
          const s = cs[2 * q + 1]!;
          const y0 = z[i + 1]!;
          const y1 = z[i + 1 + o1]!;
          const y2 = z[i + 1 + o2]!;
          const y3 = z[i + 1 + o3]!;
          z[i] = c * x0 - s * y0;
          z[i + o1] = c * x1 - s * y1;
          z[i + o2] = c * x2 - s * y2;
          z[i + o3] = c * x3 - s * y3;
          x0 = s * x0 + c * y0;
          x1 = s * x1 + c * y1;
          x2 = s * x2 + c * y2;
          x3 = s * x3 + c * y3;
        }
        z[i] = x0;
        z[i + o1] = x1;
        z[i + o2] = x2;
        z[i + o3] = x3;
      } else if (dir === -1) {
        let i = o + idx[2 * q0]!;
        let y0 = z[i + 1]!;
        let y1 = z[i + 1 + o1]!;
        let y2 = z[i + 1 + o2]!;
        let y3 = z[i + 1 + o3]!;
        for (let q = q0; q < q1; q++, i--) {
          const c = cs[2 * q]!;
          const s = cs[2 * q + 1]!;
          const x0 = z[i]!;
          const x1 = z[i + o1]!;
          const x2 = z[i + o2]!;
          const x3 = z[i + o3]!;
          z[i + 1] = s * x0 + c * y0;
          z[i + 1 + o1] = s * x1 + c * y1;
          z[i + 1 + o2] = s * x2 + c * y2;
          z[i + 1 + o3] = s * x3 + c * y3;
          y0 = c * x0 - s * y0;
          y1 = c * x1 - s * y1;
          y2 = c * x2 - s * y2;
          y3 = c * x3 - s * y3;
        }
        z[i + 1] = y0;
        z[i + 1 + o1] = y1;
        z[i + 1 + o2] = y2;
        z[i + 1 + o3] = y3;
      } else {
        const c = cs[2 * q0]!;
        const s = cs[2 * q0 + 1]!;
        const d = idx[2 * q0 + 1]! - idx[2 * q0]!;
        for (let r = 0, i = o + idx[2 * q0]!; r < 4; r++, i += n) {
          const x = z[i]!;
          const y = z[i + d]!;
          z[i] = c * x - s * y;
          z[i + d] = s * x + c * y;
        }
      }
  }
}

/** @internal Regroups consecutive reflector blocks into blocks of about `nb` reflectors (bigger gemm products for a back-transformation). */
export function mergeBlocks(blocks: readonly ReflectorBlock[], nb: number): ReflectorBlock[] {
  const out: ReflectorBlock[] = [];
  for (let b = 0; b < blocks.length; ) {
    let e = b;
    let count = 0;
    while (e < blocks.length && (count === 0 || count + blocks[e]!.nb <= nb)) count += blocks[e++]!.nb;
    const first = blocks[b]!;
    if (e === b + 1) {
      out.push(first);
      b = e;
      continue;
    }
    const len = first.len;
    const vt = new Float64Array(count * len);
    const tau = new Float64Array(count);
    let row = 0;
    for (let q = b; q < e; q++) {
      const blk = blocks[q]!;
      const shift = blk.r0 - first.r0;
      for (let j = 0; j < blk.nb; j++, row++) {
        vt.set(blk.vt.subarray(j * blk.len, (j + 1) * blk.len), row * len + shift);
        tau[row] = blk.t[j * blk.nb + j]!;
      }
    }
    out.push(reflectorBlock(first.r0, len, count, vt, tau));
    b = e;
  }
  return out;
}

/**
 * @internal The power of two 2^e nearest below max|a| (e = 0 for a zero or non-finite a); a is divided by it
 * in place, exactly (but for subnormals), so that the squares and products of the factorisations
 * neither overflow nor underflow. Results scale back by 2^e.
 */
export function normalizeScale(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  if (!(m > 0) || !Number.isFinite(m)) return 0;
  const e = Math.floor(Math.log2(m));
  scaleByPow2(a, -e);
  return e;
}

/** @internal x ← x·2^k in steps that keep each factor finite. */
export function scaleByPow2(x: Float64Array, k: number): void {
  while (k !== 0) {
    const step = Math.max(-1000, Math.min(1000, k));
    const f = 2 ** step;
    for (let i = 0; i < x.length; i++) x[i] *= f;
    k -= step;
  }
}
