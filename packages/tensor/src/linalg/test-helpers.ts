// Test helpers (plain JS reference arithmetic on nested arrays), kept out of the package index.
import { expect } from 'vitest';
import type { Tensor } from '../tensor.js';

export type Mat = number[][];

export const asMat = (t: Tensor): Mat => t.toArray() as Mat;

export function matmul(a: Mat, b: Mat): Mat {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

export function transpose(a: Mat): Mat {
  return a[0] === undefined ? [] : a[0].map((_, j) => a.map((row) => row[j]!));
}

export function identity(n: number): Mat {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

export function diag(v: number[]): Mat {
  return v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
}

/** Asserts every entry of `a` is within `tol` of `b` (same shape). */
export function expectClose(a: Mat | number[], b: Mat | number[], tol: number): void {
  const fa = (a as unknown[]).flat(2) as number[];
  const fb = (b as unknown[]).flat(2) as number[];
  expect(fa.length).toBe(fb.length);
  let worst = 0;
  fa.forEach((x, i) => {
    worst = Math.max(worst, Math.abs(x - fb[i]!));
  });
  expect(worst).toBeLessThanOrEqual(tol);
}
