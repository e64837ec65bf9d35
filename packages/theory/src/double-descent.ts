// Sample-wise double descent of minimum-norm least squares (the double-descent report of seed 003,
// §4, after Nakkiran 2019): x ~ N(0, I_d), y = ⟨x, β⟩ + N(0, σ²), β̂ = X†y from n samples, γ = n/d.

import { assertInt } from '@ddopt/tensor/validate';

/** The problem size of `minNormRisk` and `minNormRiskExact`. */
export interface MinNormRiskOptions {
  /** Training samples n ≥ 1. */
  n: number;
  /** Dimension d ≥ 1. */
  d: number;
  /** Label noise standard deviation σ ≥ 0. */
  sigma: number;
  /** ‖β‖ (default 1). */
  betaNorm?: number;
}

/** Expected test risk split by where it comes from; all values are expectations over X, η and a test point. */
export interface MinNormRisk {
  /** E‖(I − X†X)β‖²: the part of β outside the row space of X, missed by β̂. */
  signal: number;
  /** σ²E‖X†‖²_F: the noise fitted into β̂. */
  noise: number;
  /** E(⟨x, β̂⟩ − y)² = σ² + signal + noise; infinite where the expectation diverges. */
  testMse: number;
}

/** The report's split of the excess risk: bias B_n and variance V_n of equations (2)–(5). */
export interface MinNormRiskAsymptotic extends MinNormRisk {
  bias: number;
  variance: number;
}

const KEYS = new Set(['n', 'd', 'sigma', 'betaNorm']);

function read(where: string, options: MinNormRiskOptions): Required<MinNormRiskOptions> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${where}: options must be an object { n, d, sigma, betaNorm? }, got ${String(options)}`);
  for (const k of Object.keys(options)) if (!KEYS.has(k)) throw new TypeError(`${where}: unknown option "${k}"; known options: ${[...KEYS].join(', ')}`);
  const { n, d, sigma, betaNorm = 1 } = options;
  assertInt(where, 'n', n, 1);
  assertInt(where, 'd', d, 1);
  for (const [name, v] of [['sigma', sigma], ['betaNorm', betaNorm]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`${where}: ${name} must be a finite number ≥ 0, got ${String(v)}`);
  }
  return { n, d, sigma, betaNorm };
}

/**
 * Equations (2)–(5) of the report (large-d limit at fixed γ = n/d): for γ < 1, B_n = (1 − γ)²‖β‖²
 * and V_n = γ(1 − γ)‖β‖² + σ²γ/(1 − γ); for γ > 1, B_n = 0 and V_n = σ²/(γ − 1). Infinite at γ = 1.
 */
export function minNormRisk(options: MinNormRiskOptions): MinNormRiskAsymptotic {
  const { n, d, sigma, betaNorm } = read('minNormRisk', options);
  const g = n / d;
  const s2 = sigma ** 2;
  const b2 = betaNorm ** 2;
  if (g === 1) return { bias: 0, variance: Number.POSITIVE_INFINITY, signal: 0, noise: Number.POSITIVE_INFINITY, testMse: Number.POSITIVE_INFINITY };
  const bias = g < 1 ? (1 - g) ** 2 * b2 : 0;
  const signalPart = g < 1 ? g * (1 - g) * b2 : 0;
  const noise = g < 1 ? (s2 * g) / (1 - g) : s2 / (g - 1);
  return { bias, variance: signalPart + noise, signal: bias + signalPart, noise, testMse: s2 + bias + signalPart + noise };
}

/**
 * The exact finite-n expectation for a Gaussian design (moments of the Wishart and inverse-Wishart
 * laws): signal (1 − n/d)‖β‖² and noise σ²n/(d − n − 1) for n < d − 1, signal 0 and noise
 * σ²d/(n − d − 1) for n > d + 1; the noise expectation is infinite for |n − d| ≤ 1.
 */
export function minNormRiskExact(options: MinNormRiskOptions): MinNormRisk {
  const { n, d, sigma, betaNorm } = read('minNormRiskExact', options);
  const s2 = sigma ** 2;
  const signal = n < d ? (1 - n / d) * betaNorm ** 2 : 0;
  const noise = n < d - 1 ? (s2 * n) / (d - n - 1) : n > d + 1 ? (s2 * d) / (n - d - 1) : Number.POSITIVE_INFINITY;
  return { signal, noise, testMse: s2 + signal + noise };
}
