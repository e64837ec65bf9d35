// Seeded Monte Carlo helpers for the closed-form tests: sample means with their standard errors,
// and a check that a closed form lies within a stated number of standard errors of the estimate.
import { type Tensor, prng, randn } from '@ddopt/tensor';
import { expect } from 'vitest';

/** x ~ N(0, I_k), `n` rows, float64 on cpu, from `seed`. */
export function gaussian(seed: number, n: number, k: number): Tensor {
  return randn(prng(seed), [n, k], { dtype: 'float64' });
}

/** Mean of `values` and its standard error s/√n. */
export function meanSe(values: ArrayLike<number>): { mean: number; se: number } {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i]!;
  const mean = s / n;
  let q = 0;
  for (let i = 0; i < n; i++) q += (values[i]! - mean) ** 2;
  return { mean, se: Math.sqrt(q / (n - 1) / n) };
}

/** Asserts |exact − mean| ≤ sigmas·se (plus `floor` for estimates whose se can be 0). */
export function expectWithinSe(exact: number, values: ArrayLike<number>, sigmas = 4, floor = 1e-12): void {
  const { mean, se } = meanSe(values);
  expect(Math.abs(exact - mean), `closed form ${exact} vs Monte Carlo ${mean} ± ${se}`).toBeLessThanOrEqual(sigmas * se + floor);
}
