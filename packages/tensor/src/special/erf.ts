import { ERFC_G, ERF_F } from './erf-coefficients.js';

// erf and erfc in float64 from two Chebyshev expansions fitted by fit_erf.py (relative error
// below 1e-15 wherever the result is a normal number):
//   |x| < 1:   erf(x) = x·F(x²)
//   x ≥ 0.5:   erfc(x) = exp(−x²)·G(τ)/(1 + 2x), τ = (x − 4)/(x + 3)
// and the identities erf = 1 − erfc (|x| ≥ 1), erfc = 1 − erf (|x| < 0.5), erfc(−x) = 2 − erfc(x).

/** Σ' c_k T_k(t) (c_0 stored halved) by Clenshaw's recurrence. */
export function clenshaw(c: readonly number[], t: number): number {
  const t2 = 2 * t;
  let b1 = 0;
  let b2 = 0;
  for (let k = c.length - 1; k >= 1; k--) {
    const b = t2 * b1 - b2 + c[k]!;
    b2 = b1;
    b1 = b;
  }
  return t * b1 - b2 + c[0]!;
}

// erfc(x) < 2⁻¹⁰⁷⁵ beyond this: the result rounds to 0 (and exp would see ∞ − ∞ at x = ∞).
const ERFC_ZERO = 27.3;

/** erfc(x) for x ≥ 0.5 (NaN stays NaN). */
function erfcTail(x: number): number {
  if (x > ERFC_ZERO) return 0;
  const g = clenshaw(ERFC_G, (x - 4) / (x + 3)) / (1 + 2 * x);
  // exp(−x²) with x² split exactly: hi² is exact (hi has 24 bits) and (x − hi)(x + hi) is tiny,
  // so the rounding of x² (relative 1e-16, i.e. absolute 7e-14 at x = 27) never reaches the exponent.
  const hi = Math.fround(x);
  return g * Math.exp(-(x - hi) * (x + hi)) * Math.exp(-hi * hi);
}

/** The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, to float64 rounding. */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 1) return x * clenshaw(ERF_F, 2 * x * x - 1);
  if (a >= 6) return x > 0 ? 1 : -1; // erfc(6) < 2⁻⁵⁴, so 1 − erfc rounds to 1
  const y = 1 - erfcTail(a);
  return x < 0 ? -y : y;
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate also where it is tiny (x ≫ 1). */
export function erfc(x: number): number {
  if (x < -0.5) return 2 - erfcTail(-x);
  if (x < 0.5) return 1 - x * clenshaw(ERF_F, 2 * x * x - 1);
  return erfcTail(x);
}
