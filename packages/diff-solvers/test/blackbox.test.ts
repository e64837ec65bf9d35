import { grad } from '@ddopt/autograd';
import { type Tensor, argmax, argmin, mul, oneHot, prng, softmax, sum, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { blackboxDiff, linearAssignment, perturbed } from '../src/index.js';

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });
/** One-hot of the argmin of the last axis: the solver of min ⟨w, y⟩ over the simplex's vertices. */
const argminOneHot = (w: Tensor) => oneHot(argmin(w, { axis: -1 }), w.shape[w.rank - 1]!, w.dtype);
const argmaxOneHot = (x: Tensor) => oneHot(argmax(x, { axis: -1 }), x.shape[x.rank - 1]!, x.dtype);

describe('blackboxDiff (Vlastelica et al. 2020)', () => {
  it('gives −(y(w) − y(w + λ·∂L/∂y))/λ, worked out by hand for an argmin over three costs', () => {
    // w = (1, 2, 3) picks e₁. L = ⟨c, y⟩ with c = (0, −5, 0): w + 1·c = (1, −3, 3) picks e₂, so the
    // gradient is −(e₁ − e₂)/1 = (−1, 1, 0); with λ = 0.1, w + 0.1c = (1, 1.5, 3) still picks e₁: zero.
    const c = f64([0, -5, 0]);
    const w = f64([1, 2, 3]);
    const g1 = grad((x: Tensor) => sum(mul(blackboxDiff(argminOneHot, { lambda: 1 })(x), c)))(w);
    expect(g1.toArray()).toEqual([-1, 1, 0]);
    const g01 = grad((x: Tensor) => sum(mul(blackboxDiff(argminOneHot, { lambda: 0.1 })(x), c)))(w);
    expect(g01.toArray()).toEqual([0, 0, 0]);
    expect(blackboxDiff(argminOneHot, { lambda: 1 })(w).toArray()).toEqual([1, 0, 0]);
  });

  it('around linearAssignment: the moved costs pick another permutation, worked out by hand', () => {
    // w favours the identity; with ∂L/∂y = c (a penalty on X₀₀) and λ = 1 the costs become
    // [[5, 1, 1.5], [1, 0, 1], [1, 1, 0]], whose best assignment is (0→1, 1→0, 2→2) at cost 2
    // (0→2, 1→1, 2→0 costs 2.5, the identity 5). Gradient = (X' − X)/λ.
    const w = f64([
      [0, 1, 1.5],
      [1, 0, 1],
      [1, 1, 0],
    ]);
    const c = f64([
      [5, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const g = grad((x: Tensor) => sum(mul(blackboxDiff(linearAssignment, { lambda: 1 })(x), c)))(w);
    expect(g.toArray()).toEqual([
      [-1, 1, 0],
      [1, -1, 0],
      [0, 0, 0],
    ]);
  });

  it('names bad use', () => {
    expect(() => blackboxDiff(argminOneHot, {} as never)).toThrow(/blackboxDiff: option lambda is required/);
    expect(() => blackboxDiff(argminOneHot, { lambda: 0 })).toThrow(/lambda must be a finite number > 0, got 0/);
    expect(() => blackboxDiff((w) => sum(w), { lambda: 1 })(f64([1, 2]))).toThrow(/the solver returned float64 \[\] for costs float64 \[2\]; y must be shaped like w/);
  });
});

describe('perturbed (Berthet et al. 2020)', () => {
  it('Gumbel-max: E[onehot(argmax(θ + G))] = softmax(θ), and its score-function gradient is softmax’s Jacobian (Monte Carlo, fixed seed)', () => {
    const theta = f64([0.5, -0.2, 1.0, 0.1]);
    const g = f64([1, -1, 0.5, 2]);
    const N = 20000;
    const y = perturbed(argmaxOneHot, { numSamples: N, sigma: 1, noise: 'gumbel', seed: 1 });
    const p = softmax(theta).dataSync();
    // Each entry is a mean of N Bernoulli(p_i): standard error √(p(1 − p)/N) ≤ 0.0036; allow 4.
    const est = y(theta).dataSync();
    p.forEach((pi, i) => {
      expect(Math.abs(est[i]! - pi)).toBeLessThan(4 * Math.sqrt((pi * (1 - pi)) / N));
    });
    // VJP of softmax: p ⊙ (g − ⟨g, p⟩). The estimator's per-sample sd is ≤ ‖g‖∞·√E[(1 − e^{−G})²] = 2·1.
    const gp = Array.from(p).reduce((s, pi, i) => s + pi * g.dataSync()[i]!, 0);
    const want = Array.from(p, (pi, i) => pi * (g.dataSync()[i]! - gp));
    const got = grad((t: Tensor) => sum(mul(y(t), g)))(theta).dataSync();
    want.forEach((w, i) => {
      expect(Math.abs(got[i]! - w)).toBeLessThan((4 * 2) / Math.sqrt(N));
    });
  });

  it('normal noise, two choices: E[y₁] = Φ((θ₁ − θ₂)/(σ√2)) and its derivative φ(·)/(σ√2)', () => {
    const sigma = 0.5;
    const theta = f64([0.3, 0.1]);
    const N = 20000;
    const y = perturbed(argmaxOneHot, { numSamples: N, sigma, seed: 2 });
    const u = (0.3 - 0.1) / (sigma * Math.SQRT2);
    const Phi = 0.5 * (1 + erfApprox(u / Math.SQRT2));
    const phi = Math.exp(-u * u / 2) / Math.sqrt(2 * Math.PI);
    expect(Math.abs(y(theta).dataSync()[0]! - Phi)).toBeLessThan(4 * Math.sqrt((Phi * (1 - Phi)) / N));
    const d = grad((t: Tensor) => sum(mul(y(t), f64([1, 0]))))(theta).dataSync();
    // Per-sample sd of y₁·Z₁/σ is ≤ 1/σ = 2.
    expect(Math.abs(d[0]! - phi / (sigma * Math.SQRT2))).toBeLessThan((4 * 2) / Math.sqrt(N));
    expect(Math.abs(d[1]! + phi / (sigma * Math.SQRT2))).toBeLessThan((4 * 2) / Math.sqrt(N));
  });

  it('the same key gives the same estimate; a different key a different one', () => {
    const y = perturbed(argmaxOneHot, { numSamples: 50, seed: 3 });
    const t = f64([0, 0.05, 0.02]);
    expect(Array.from(y(t).dataSync())).toEqual(Array.from(y(t, prng(3)).dataSync()));
    expect(Array.from(y(t, prng(4)).dataSync())).not.toEqual(Array.from(y(t).dataSync()));
    expect(() => perturbed(argmaxOneHot, { numSamples: 10 } as never)).toThrow(/perturbed: option seed is required/);
    expect(() => perturbed(argmaxOneHot, { seed: 0, noise: 'gauss' as never })).toThrow(/noise must be one of 'gumbel', 'normal'/);
    expect(() => perturbed((x) => sum(x), { seed: 0, numSamples: 4 })(t)).toThrow(/fn must map \[4, ...\] samples to \[4, ...\] outputs, got \[\]/);
  });
});

/** erf by its Maclaurin series (|x| < 1 here; 30 terms are exact to double precision). */
function erfApprox(x: number): number {
  let term = x;
  let s = x;
  for (let n = 1; n < 30; n++) {
    term *= (-x * x) / n;
    s += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * s;
}
