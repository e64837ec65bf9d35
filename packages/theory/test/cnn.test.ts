import { grad, hessian } from '@ddopt/autograd';
import { type Tensor, eigh, matmul, maximum, mean, mul, reshape, sub, sum, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { cnnCriticalPoints, cnnPopulationLoss, twoLayerCnnPopulationLoss } from '../src/index.js';
import { expectWithinSe, gaussian } from './monte-carlo.js';

const f64 = (x: number[]) => tensor(x, { dtype: 'float64' });
const d = 3;
const k = 4;
const wStar = f64([0.6, -0.8, 0.5]);
/** 10⁵ inputs of k non-overlapping N(0, I_d) patches, as [N·k, d] rows (patch-major within a sample). */
const N = 100_000;
const patches = reshape(gaussian(31, N, k * d), [N * k, d]);
/** Per-patch (wᵀxᵢ)₊ as [N, k]. */
const hidden = (w: Tensor) => reshape(maximum(matmul(patches, w), 0), [N, k]);

describe('cnnPopulationLoss: survey eq. (10) with its constant, f = (1/k)Σᵢ(wᵀxᵢ)₊', () => {
  for (const w of [[0.2, 0.4, -1], [-0.5, 0.7, -0.3], [0.6, -0.8, 0.5]]) {
    it(`matches a seeded Monte Carlo (10⁵ samples of k = ${k} patches, 4 s.e.) at w = [${w}]`, () => {
      const e = sub(mean(hidden(f64(w)), { axis: 1 }), mean(hidden(wStar), { axis: 1 }));
      expectWithinSe(cnnPopulationLoss(f64(w), wStar, k).item(), mul(e, e).dataSync());
    });
  }

  it('has the lemma’s critical points: L(w*) = 0 with Hessian eigenvalues 1/k and 2γ/k², a degenerate saddle at −ρw*', () => {
    const cp = cnnCriticalPoints(wStar, k);
    const rho = (k * k - k) / (k * k + (Math.PI - 1) * k);
    expect(cp.saddleCoefficient).toBeCloseTo(rho, 15);
    const L = (w: Tensor) => cnnPopulationLoss(w, wStar, k);
    const beta = (k * k - k) / (2 * Math.PI);
    const gamma = beta + k / 2;
    const ss = 0.36 + 0.64 + 0.25;
    expect(L(cp.globalMinimum).item()).toBeCloseTo(0, 14);
    expect(Math.max(...grad(L)(cp.globalMinimum).dataSync().map(Math.abs))).toBeLessThan(1e-14);
    // At w*: ∂²g/∂w² = 0 (u = v), so ∇²L = (2γŵŵᵀ + 2(γ − β)(I − ŵŵᵀ))/k², γ − β = k/2.
    const atMin = [...eigh(hessian(L)(cp.globalMinimum)).values.dataSync()];
    expect(atMin[0]).toBeCloseTo(1 / k, 13);
    expect(atMin[2]).toBeCloseTo((2 * gamma) / k ** 2, 13);
    // At −ρw*: θ = π, g = 0 nearby to third order; along w* the curvature is 2γ/k², across it
    // 2γ − 2β‖w*‖/‖w‖ = 0: gradient 0, Hessian ⪰ 0 and singular.
    expect(Math.max(...grad(L)(cp.degenerateSaddle).dataSync().map(Math.abs))).toBeLessThan(1e-14);
    const atSaddle = [...eigh(hessian(L)(cp.degenerateSaddle)).values.dataSync()];
    expect(Math.abs(atSaddle[0]!)).toBeLessThan(1e-13);
    expect(Math.abs(atSaddle[1]!)).toBeLessThan(1e-13);
    expect(atSaddle[2]).toBeCloseTo((2 * gamma) / k ** 2, 13);
    expect(L(cp.degenerateSaddle).item()).toBeCloseTo((ss / k ** 2) * (gamma - beta ** 2 / gamma), 13);
    // ...and it is a saddle: moving across w* lowers L (by the third-order term of g).
    const across = f64([0.8, 0.6, 0]);
    expect(L(sub(cp.degenerateSaddle, mul(across, -0.05))).item()).toBeLessThan(L(cp.degenerateSaddle).item());
    // w = 0 is a local maximum: L(εu) < L(0) = γ‖w*‖²/k² in every direction tried.
    expect(L(cp.localMaximum).item()).toBeCloseTo((gamma * ss) / k ** 2, 14);
    for (const u of [[1, 0, 0], [0.6, -0.8, 0.5], [-0.6, 0.8, -0.5], [0, 0.3, 1]]) expect(L(mul(f64(u), 1e-3)).item()).toBeLessThan(L(cp.localMaximum).item());
  });

  it('refuses bad arguments, naming the function', () => {
    expect(() => cnnPopulationLoss(f64([1, 2]), wStar, 2)).toThrow(/cnnPopulationLoss: w \[2\] and wStar \[3\] must agree/);
    expect(() => cnnPopulationLoss(wStar, wStar, 0)).toThrow(/cnnPopulationLoss: k must be an integer ≥ 1, got 0/);
    expect(() => cnnCriticalPoints(wStar, 1)).toThrow(/cnnCriticalPoints: k must be an integer ≥ 2, got 1/);
  });
});

describe('twoLayerCnnPopulationLoss: E(Σᵢaᵢ(wᵀxᵢ)₊ − Σᵢa*ᵢ(w*ᵀxᵢ)₊)² (survey eqs. 11–12)', () => {
  const aStar = f64([1, -0.5, 0.8, 0.3]);
  for (const [w, a] of [[[0.2, 0.4, -1], [0.5, 0.5, -1, 0.2]], [[0.6, -0.8, 0.5], [1, -0.5, 0.8, 0.3]], [[1, 0, 0], [0, 0, 0, 1]]] as const) {
    it(`matches a seeded Monte Carlo (10⁵ samples, 4 s.e.) at w = [${w}], a = [${a}]`, () => {
      const f = (wt: Tensor, at: Tensor) => sum(mul(hidden(wt), at), { axis: 1 });
      const e = sub(f(f64([...w]), f64([...a])), f(wStar, aStar));
      const exact = twoLayerCnnPopulationLoss(f64([...w]), f64([...a]), wStar, aStar).item();
      expectWithinSe(exact, mul(e, e).dataSync());
    });
  }
  it('is 0 at the teacher and refuses a and a* of different lengths', () => {
    expect(twoLayerCnnPopulationLoss(wStar, aStar, wStar, aStar).item()).toBeCloseTo(0, 14);
    expect(() => twoLayerCnnPopulationLoss(wStar, f64([1, 2]), wStar, aStar)).toThrow(/twoLayerCnnPopulationLoss: a \[2\] and aStar \[4\] must agree/);
  });
});
