// Blocked Householder QR on row-major float64 (LAPACK's dgeqrf / dorgqr): each panel of NB
// columns is factored unblocked on a transposed copy (its columns become contiguous rows), its
// reflectors gathered into the compact WY form I − V·T·Vᵀ, and the trailing columns updated by
// two gemm products; q is formed by applying the blocks to the identity's first columns.
import { applyBlock, householder, mergeBlocks, type ReflectorBlock, reflectorBlock } from './dense.js';

const NB = 32;
// Reflectors per block when q is applied or formed (deeper gemm products than a panel's).
const BACK_NB = 128;

/** @internal The reflectors of a QR factorisation (q = blocks[0]⋯blocks[last]) and r overwriting a's upper triangle. */
export interface DenseQr {
  m: number;
  n: number;
  blocks: ReflectorBlock[];
}

/** @internal Factors m×n `a` in place: on return its upper trapezoid is r (the rest is garbage). */
export function qrInPlace(a: Float64Array, m: number, n: number): DenseQr {
  const k = Math.min(m, n);
  const blocks: ReflectorBlock[] = [];
  for (let j0 = 0; j0 < k; j0 += NB) {
    const jb = Math.min(NB, k - j0);
    const len = m - j0;
    // The panel's columns as the rows of p (jb×len).
    const p = new Float64Array(jb * len);
    for (let i = 0; i < len; i++) {
      const ri = (j0 + i) * n + j0;
      for (let c = 0; c < jb; c++) p[c * len + i] = a[ri + c]!;
    }
    const tau = new Float64Array(jb);
    for (let c = 0; c < jb; c++) {
      const o = c * len;
      const { tau: t, beta } = householder(p, o + c, len - c);
      tau[c] = t;
      p[o + c] = beta;
      if (t === 0) continue;
      // Apply H_c to the panel's later columns.
      for (let c2 = c + 1; c2 < jb; c2++) {
        const o2 = c2 * len;
        let s = p[o2 + c]!;
        for (let i = c + 1; i < len; i++) s += p[o + i]! * p[o2 + i]!;
        s *= t;
        p[o2 + c] -= s;
        for (let i = c + 1; i < len; i++) p[o2 + i] -= s * p[o + i]!;
      }
    }
    // r's rows of the panel back into a; V (unit diagonal, zeros above) into its own array.
    const vt = new Float64Array(jb * len);
    for (let c = 0; c < jb; c++) {
      for (let i = 0; i <= c; i++) a[(j0 + i) * n + j0 + c] = p[c * len + i]!;
      vt[c * len + c] = 1;
      for (let i = c + 1; i < len; i++) {
        vt[c * len + i] = p[c * len + i]!;
        a[(j0 + i) * n + j0 + c] = 0;
      }
    }
    const blk = reflectorBlock(j0, len, jb, vt, tau);
    blocks.push(blk);
    // Trailing columns: A2 ← Qᵀ·A2 = (I − V·Tᵀ·Vᵀ)·A2.
    if (j0 + jb < n) applyBlock(blk, a, n, j0 + jb, n - j0 - jb, true);
  }
  return { m, n, blocks };
}

/** @internal The m×k q (k = min(m, n)) with orthonormal columns: the reflectors applied to the identity's first k columns. */
export function formQ(f: DenseQr): Float64Array {
  const { m, n, blocks } = f;
  const k = Math.min(m, n);
  const q = new Float64Array(m * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  const merged = mergeBlocks(blocks, BACK_NB);
  for (let b = merged.length - 1; b >= 0; b--) {
    const blk = merged[b]!;
    // Columns before the block's first still hold identity columns the block does not touch.
    applyBlock(blk, q, k, blk.r0, k - blk.r0, false);
  }
  return q;
}

/** @internal x (m×w, row stride ld) ← q·x, with q the full m×m product of the reflectors. */
export function applyQ(f: DenseQr, x: Float64Array, w: number): void {
  const blocks = mergeBlocks(f.blocks, BACK_NB);
  for (let b = blocks.length - 1; b >= 0; b--) applyBlock(blocks[b]!, x, w, 0, w, false);
}

/** @internal x (m×w) ← qᵀ·x. */
export function applyQt(f: DenseQr, x: Float64Array, w: number): void {
  for (const blk of mergeBlocks(f.blocks, BACK_NB)) applyBlock(blk, x, w, 0, w, true);
}

/** @internal The k×n upper trapezoid r of a factored m×n a. */
export function extractR(a: Float64Array, m: number, n: number): Float64Array {
  const k = Math.min(m, n);
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) r.set(a.subarray(i * n + i, (i + 1) * n), i * n + i);
  return r;
}

