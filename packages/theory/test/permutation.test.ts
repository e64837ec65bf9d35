import { gather, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { permutationDistance } from '../src/index.js';
import { gaussian } from './monte-carlo.js';

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('permutationDistance: min over row permutations of ‖A − P_πB‖_F (seed 003’s dist)', () => {
  it('equals brute force over all n! permutations (n = 2…6, seeded random matrices)', () => {
    for (let n = 2; n <= 6; n++) {
      const A = gaussian(80 + n, n, 3);
      const B = gaussian(90 + n, n, 3);
      const a = A.toArray() as number[][];
      const b = B.toArray() as number[][];
      let best = Number.POSITIVE_INFINITY;
      for (const p of permutations(n)) best = Math.min(best, a.reduce((s, row, i) => s + row.reduce((t, x, c) => t + (x - b[p[i]!]![c]!) ** 2, 0), 0));
      expect(permutationDistance(A, B)).toBeCloseTo(Math.sqrt(best), 12);
    }
  });

  it('is 0 between a matrix and any row permutation of it, and refuses different unit counts', () => {
    const A = gaussian(7, 5, 4);
    const P = gather(A, tensor([3, 0, 4, 1, 2], { dtype: 'int32' }), 0);
    expect(permutationDistance(A, P)).toBe(0);
    expect(() => permutationDistance(A, gaussian(8, 4, 4))).toThrow(/permutationDistance: A and B must have the same number of rows \(units\), got 5 and 4/);
  });
});
