// Symmetric eigen-decomposition on row-major float64: Householder tridiagonalisation blocked as
// LAPACK's dsytrd / dlatrd (each panel of NB columns reduced with matrix–vector products against
// the panel's pending update, the trailing matrix updated by one gemm); the tridiagonal solved by
// divide and conquer (tridiagonal-dc.ts) with implicit QL with Wilkinson-type shifts (EISPACK's
// tql2) for small blocks and for eigenvalues alone; the eigenvectors back-transformed through the
// reflectors' compact WY blocks on the gemm.

import { symmetricOperand } from '../backends/cpu/wasm/symv-wasm.js';
import { applyBlock, householder, mergeBlocks, mm, normalizeScale, type ReflectorBlock, reflectorBlock, scaleByPow2, subBlock } from './dense.js';
import { tridiagonalDc } from './tridiagonal-dc.js';
import { tridiagonalQl } from './tridiagonal-ql.js';

const NB = 32;
// Columns per gemm product of the trailing update.
const UPDATE_NB = 64;
// Reflectors per block of the back-transformation (deeper gemm products than a panel's).
const BACK_NB = 128;

/** @internal Tridiagonal form qᵀ·a·q: diagonal d, off-diagonal e (e[i] couples i and i + 1; e[n−1] = 0), q as reflector blocks. */
export interface Tridiagonal {
  d: Float64Array;
  e: Float64Array;
  blocks: ReflectorBlock[];
}

/** @internal Reduces symmetric n×n `a` (both triangles stored; overwritten, its upper triangle left stale) to tridiagonal form. */
export function tridiagonalize(a: Float64Array, n: number): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const blocks: ReflectorBlock[] = [];
  for (let j0 = 0; j0 < n; j0 += NB) {
    const N = n - j0;
    const ib = Math.min(NB, N);
    // V and W: N×ib by columns (column c at c·N, entry r of it for row j0 + r of the trailing
    // matrix), so that the panel's products with them run along rows of length N − i.
    const V = new Float64Array(ib * N);
    const W = new Float64Array(ib * N);
    const tau = new Float64Array(ib);
    const col = new Float64Array(N);
    const y = new Float64Array(N);
    const t1 = new Float64Array(ib);
    const t2 = new Float64Array(ib);
    let reflectors = 0;
    const B = symmetricOperand(a, j0 * n + j0, n, N);
    for (let i = 0; i < ib; i++) {
      // Row i of the trailing matrix with the panel's pending update: col[r] for r ≥ i (B[i][r] read
      // as B[r][i]: only the lower triangle is kept up to date), less Σ_c V[r][c]·W[i][c] + W[r][c]·V[i][c].
      for (let r = i; r < N; r++) col[r] = a[(j0 + r) * n + j0 + i]!;
      // Columns c in pairs (each col[r] loaded and stored once per pair; the same subtractions in order).
      let c = 0;
      for (; c + 1 < i; c += 2) {
        const v0 = c * N;
        const v1 = v0 + N;
        const w0 = W[v0 + i]!;
        const u0 = V[v0 + i]!;
        const w1 = W[v1 + i]!;
        const u1 = V[v1 + i]!;
        for (let r = i; r < N; r++) col[r] = col[r]! - (V[v0 + r]! * w0 + W[v0 + r]! * u0) - (V[v1 + r]! * w1 + W[v1 + r]! * u1);
      }
      if (c < i) {
        const vc = c * N;
        const wic = W[vc + i]!;
        const vic = V[vc + i]!;
        for (let r = i; r < N; r++) col[r] -= V[vc + r]! * wic + W[vc + r]! * vic;
      }
      d[j0 + i] = col[i]!;
      if (i === N - 1) break;
      const L = N - i - 1;
      const { tau: t, beta } = householder(col, i + 1, L);
      e[j0 + i] = beta;
      tau[i] = t;
      reflectors++;
      col[i + 1] = 1;
      V.set(col.subarray(i + 1, N), i * N + i + 1);
      if (t === 0) continue;
      // y = τ·(B·v − V·(Wᵀv) − W·(Vᵀv)) on rows i+1.., with B the trailing matrix as of the panel's start:
      // B·v in one pass over B's lower triangle (half the memory traffic of the full square), on
      // the WebAssembly SIMD symv where there is one.
      B.product(i + 1, col, y);
      for (let c = 0; c < i; c++) {
        const vc = c * N;
        let s1 = 0;
        let s2 = 0;
        for (let r = i + 1; r < N; r++) {
          const vr = col[r]!;
          s1 += W[vc + r]! * vr;
          s2 += V[vc + r]! * vr;
        }
        t1[c] = s1;
        t2[c] = s2;
      }
      let cy = 0;
      for (; cy + 1 < i; cy += 2) {
        const v0 = cy * N;
        const v1 = v0 + N;
        const a0 = t1[cy]!;
        const b0 = t2[cy]!;
        const a1 = t1[cy + 1]!;
        const b1 = t2[cy + 1]!;
        for (let r = i + 1; r < N; r++) y[r] = y[r]! - (V[v0 + r]! * a0 + W[v0 + r]! * b0) - (V[v1 + r]! * a1 + W[v1 + r]! * b1);
      }
      if (cy < i) {
        const vc = cy * N;
        const t1c = t1[cy]!;
        const t2c = t2[cy]!;
        for (let r = i + 1; r < N; r++) y[r] -= V[vc + r]! * t1c + W[vc + r]! * t2c;
      }
      let yv = 0;
      for (let r = i + 1; r < N; r++) {
        const s = y[r]! * t;
        y[r] = s;
        yv += s * col[r]!;
      }
      const alpha = -0.5 * t * yv;
      const wi = i * N;
      for (let r = i + 1; r < N; r++) W[wi + r] = y[r]! + alpha * col[r]!;
    }
    if (reflectors > 0) {
      // Reflector c acts on rows j0 + 1 .. n − 1 from its position c on: the rows 1.. of V's column c.
      const len = N - 1;
      const vt = new Float64Array(reflectors * len);
      for (let c = 0; c < reflectors; c++) vt.set(V.subarray(c * N + 1, c * N + N), c * len);
      blocks.push(reflectorBlock(j0 + 1, len, reflectors, vt, tau.subarray(0, reflectors)));
    }
    const N2 = N - ib;
    if (N2 <= 0) break;
    // Trailing update B22 −= V2·W2ᵀ + W2·V2ᵀ of the lower triangle (syr2k), as gemm products
    // [V2 W2]·[W2 V2]ᵀ by bands of UPDATE_NB columns from the diagonal down (the band's diagonal
    // block whole; the entries above the diagonal it writes are never read).
    const X = new Float64Array(N2 * 2 * ib);
    for (let c = 0; c < ib; c++) {
      const o = c * N + ib;
      for (let r = 0; r < N2; r++) {
        X[r * 2 * ib + c] = V[o + r]!;
        X[r * 2 * ib + ib + c] = W[o + r]!;
      }
    }
    const s0 = j0 + ib;
    for (let c0 = 0; c0 < N2; c0 += UPDATE_NB) {
      const cw = Math.min(UPDATE_NB, N2 - c0);
      const Y = new Float64Array(2 * ib * cw);
      for (let c = 0; c < ib; c++) {
        const o = c * N + ib + c0;
        Y.set(W.subarray(o, o + cw), c * cw);
        Y.set(V.subarray(o, o + cw), (ib + c) * cw);
      }
      subBlock(a, n, s0 + c0, s0 + c0, N2 - c0, cw, mm(X.subarray(c0 * 2 * ib), Y, N2 - c0, 2 * ib, cw));
    }
  }
  return { d, e, blocks };
}

/** @internal Eigenvalues (ascending) and eigenvectors (columns of the n×n row-major result) of symmetric a (overwritten); null if QL fails to converge. */
export function symmetricEigen(a: Float64Array, n: number, vectors: boolean): { values: Float64Array; vectors: Float64Array | null } | null {
  const p = normalizeScale(a);
  const r = symmetricEigenScaled(a, n, vectors);
  if (r) scaleByPow2(r.values, p);
  return r;
}

/** symmetricEigen of an a with max|a| in [1, 2). */
function symmetricEigenScaled(a: Float64Array, n: number, vectors: boolean): { values: Float64Array; vectors: Float64Array | null } | null {
  const { d, e, blocks } = tridiagonalize(a, n);
  let z: Float64Array | null = null;
  if (!vectors) {
    if (!tridiagonalQl(d, e, n, null)) return null;
    return { values: d, vectors: null };
  }
  // Divide and conquer above its base size (its work is in gemm products), else QL with rotations.
  // Scaled to entries of at most 1 (the secular equation's squares then neither overflow nor underflow).
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(d[i]!), Math.abs(e[i]!));
  const f = scale > 0 ? scale : 1;
  const dc = tridiagonalDc(
    d.map((v) => v / f),
    e.map((v) => v / f),
    n,
  );
  if (!dc) return null;
  z = dc.q;
  for (let i = 0; i < n; i++) d[i] = dc.values[i]! * f;
  const merged = mergeBlocks(blocks, BACK_NB);
  for (let b = merged.length - 1; b >= 0; b--) applyBlock(merged[b]!, z, n, 0, n, false);
  return { values: d, vectors: z };
}

