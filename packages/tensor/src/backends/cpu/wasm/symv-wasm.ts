/**
 * A symmetric float64 matrix held for repeated products y = B·v with trailing principal
 * submatrices of it (the Householder tridiagonalisation's panel steps): its lower triangle copied
 * once into the WebAssembly scratch instance's memory and multiplied there by `symv_f64`, or,
 * without WebAssembly SIMD, read in place by the JavaScript symvLower.
 */
import { symvLower } from '../kernels/symv.js';
import { MAX_PAGES } from './layout.js';
import { wasmScratch } from './module.js';

/** B (n×n) for products with its trailing submatrices B[s.., s..]. */
export interface SymmetricOperand {
  /** Whether the products run on the WebAssembly kernel. */
  readonly wasm: boolean;
  /** y[s..n) = B[s..n, s..n]·v[s..n) (v and y indexed like B's rows; y outside s..n untouched). */
  product(s: number, v: Float64Array, y: Float64Array): void;
}

/**
 * B as the lower triangle of a[off + r·ld + p] (p ≤ r < n; the upper triangle is not read). The
 * WebAssembly copy is taken now (later changes to a are not seen) and is valid until the next
 * call; the JavaScript one reads a at each product.
 */
export function symmetricOperand(a: Float64Array, off: number, ld: number, n: number): SymmetricOperand {
  const w = n >= 8 ? wasmScratch() : null;
  // Rows padded to an even length, so that every row starts 16-byte aligned.
  const ldp = n + (n & 1);
  const bytes = (2 * ldp + n * ldp) * 8;
  if (!w || bytes > MAX_PAGES * 65536) {
    return { wasm: false, product: (s, v, y) => symvLower(a, off + s * ld + s, ld, n - s, v, s, y, s) };
  }
  const have = w.memory.buffer.byteLength;
  if (bytes > have) w.memory.grow(Math.ceil((bytes - have) / 65536));
  // Layout (float64 elements): v at 0, y at ldp, B at 2·ldp with row stride ldp.
  const mem = new Float64Array(w.memory.buffer as ArrayBuffer, 0, bytes / 8);
  const b0 = 2 * ldp;
  for (let r = 0; r < n; r++) mem.set(a.subarray(off + r * ld, off + r * ld + r + 1), b0 + r * ldp);
  const symv = w.exports.symv_f64;
  return {
    wasm: true,
    product(s, v, y) {
      const len = n - s;
      if (len <= 0) return;
      mem.set(v.subarray(s, n), s);
      symv((b0 + s * ldp + s) * 8, ldp * 8, len, s * 8, (ldp + s) * 8);
      y.set(mem.subarray(ldp + s, ldp + n), s);
    },
  };
}
