import { afterEach, describe, expect, it, vi } from 'vitest';
import { symmetricEigen, tridiagonalize } from '../../../linalg/eigh-dense.js';
import { symvLower } from '../kernels/symv.js';
import { cpuWasm, setCpuWasm } from '../wasm/module.js';
import * as symvWasm from '../wasm/symv-wasm.js';
import { rng } from './helpers.js';

// The linalg routines' calls of symmetricOperand, recorded (the function itself runs unchanged).
vi.mock('../wasm/symv-wasm.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../wasm/symv-wasm.js')>();
  return { ...m, symmetricOperand: vi.fn(m.symmetricOperand) };
});
const operand = vi.mocked(symvWasm.symmetricOperand);

afterEach(() => {
  setCpuWasm('auto');
  operand.mockClear();
});

const EPS = 2 ** -52;

/** A random symmetric n×n matrix with row stride ld (padding and upper triangle filled too). */
function symmetric(n: number, ld: number, seed: number): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(n * ld).map(() => r());
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * ld + i] = a[i * ld + j]!;
  return a;
}

/** Σ_p |B[q][p]|·|v[p]| for the trailing block s.. (the scale of the rounding error of y[q]). */
function absProduct(a: Float64Array, ld: number, n: number, s: number, v: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let q = s; q < n; q++) for (let p = s; p < n; p++) out[q] += Math.abs(a[Math.max(p, q) * ld + Math.min(p, q)]!) * Math.abs(v[p]!);
  return out;
}

describe('symv (the Householder tridiagonalisation’s B·v)', () => {
  it('WebAssembly SIMD equals the JavaScript symvLower within 2·γ_n·Σ|B||v| per entry, trailing blocks at odd and even offsets, never reading the upper triangle', () => {
    expect(cpuWasm()).toBe(true);
    for (const [n, ld] of [
      [8, 8],
      [9, 11],
      [64, 64],
      [101, 101],
      [257, 260],
    ] as const) {
      const a = symmetric(n, ld, n);
      // The upper triangle poisoned: a kernel that read it would return NaN.
      const poisoned = a.slice();
      for (let i = 0; i < n; i++) for (let j = i + 1; j < ld; j++) poisoned[i * ld + j] = Number.NaN;
      const r = rng(1000 + n);
      const v = Float64Array.from({ length: n }, () => r());
      const op = symvWasm.symmetricOperand(poisoned, 0, ld, n);
      expect(op.wasm).toBe(true);
      for (const s of [0, 1, 2, n - 3, n - 1]) {
        const got = new Float64Array(n).fill(7);
        op.product(s, v, got);
        const want = new Float64Array(n).fill(7);
        symvLower(poisoned, s * ld + s, ld, n - s, v, s, want, s);
        const abs = absProduct(a, ld, n, s, v);
        const m = n - s;
        const bound = (2 * m * EPS) / (1 - m * EPS);
        for (let q = 0; q < s; q++) expect(got[q]).toBe(7);
        for (let q = s; q < n; q++) {
          expect(Number.isFinite(got[q]!)).toBe(true);
          expect(Math.abs(got[q]! - want[q]!)).toBeLessThanOrEqual(bound * abs[q]!);
        }
      }
    }
  });

  it('the JavaScript fallback (setCpuWasm(false)) is symvLower itself, reading the matrix in place', () => {
    setCpuWasm(false);
    const n = 37;
    const a = symmetric(n, n, 5);
    const op = symvWasm.symmetricOperand(a, 0, n, n);
    expect(op.wasm).toBe(false);
    const r = rng(6);
    const v = Float64Array.from({ length: n }, () => r());
    const got = new Float64Array(n);
    const want = new Float64Array(n);
    op.product(3, v, got);
    symvLower(a, 3 * n + 3, n, n - 3, v, 3, want, 3);
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('tridiagonalize runs its panels on the WebAssembly symv, and eigh agrees with the JavaScript path within 2·n·ε·‖a‖', () => {
    const n = 150; // several panels of 32
    const a = symmetric(n, n, 42);
    let norm = 0;
    for (let i = 0; i < n * n; i++) norm += a[i]! * a[i]!;
    norm = Math.sqrt(norm);
    const runs = [true, false].map((on) => {
      setCpuWasm(on);
      operand.mockClear();
      const tri = tridiagonalize(a.slice(), n);
      const used = operand.mock.results.map((x) => (x.value as symvWasm.SymmetricOperand).wasm);
      const eig = symmetricEigen(a.slice(), n, false);
      return { tri, used, values: eig!.values };
    });
    const [wasm, js] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(wasm.used.length).toBe(Math.ceil(n / 32));
    expect(wasm.used.every((u) => u)).toBe(true);
    expect(js.used.every((u) => !u)).toBe(true);
    const tol = 2 * n * EPS * norm;
    for (let i = 0; i < n; i++) {
      expect(Math.abs(wasm.tri.d[i]! - js.tri.d[i]!)).toBeLessThanOrEqual(tol);
      expect(Math.abs(Math.abs(wasm.tri.e[i]!) - Math.abs(js.tri.e[i]!))).toBeLessThanOrEqual(tol);
      expect(Math.abs(wasm.values[i]! - js.values[i]!)).toBeLessThanOrEqual(tol);
    }
  });
});
