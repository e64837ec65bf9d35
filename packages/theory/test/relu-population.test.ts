import { grad, hessian } from '@ddopt/autograd';
import { type Tensor, add, eye, gather, matmul, maximum, minimum, mul, reshape, sub, sum, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { reluPopulationLoss, reluPopulationObjective } from '../src/index.js';
import { expectWithinSe, gaussian } from './monte-carlo.js';

const W = gaussian(3, 4, 3);
const V = gaussian(4, 3, 3);

/** Per-sample (Σᵢσ(wᵢᵀx) − Σⱼσ(vⱼᵀx))² for x ~ N(0, I) (2·10⁵ samples, seed 21). */
function squaredErrors(w: Tensor, v: Tensor, slope: number): Float64Array {
  const X = gaussian(21, 200_000, 3);
  const act = (z: Tensor) => add(maximum(z, 0), mul(minimum(z, 0), slope));
  const f = (m: Tensor) => sum(act(matmul(X, transpose(m))), { axis: 1 });
  const e = sub(f(w), f(v));
  return Float64Array.from(mul(e, e).dataSync());
}

describe('reluPopulationLoss: E(Σᵢσ(wᵢᵀx) − Σⱼσ(vⱼᵀx))², the Safran–Shamir objective (lecture 001)', () => {
  for (const slope of [0, 0.2]) {
    it(`matches a seeded Monte Carlo (2·10⁵ samples, 4 s.e.), slope ${slope}`, () => {
      expectWithinSe(reluPopulationLoss(W, V, { slope }).item(), squaredErrors(W, V, slope));
    });
  }

  it('is 0 with zero gradient at every permutation of the teacher, and positive elsewhere', () => {
    const perm = gather(V, tensor([2, 0, 1], { dtype: 'int32' }), 0);
    expect(Math.abs(reluPopulationLoss(perm, V).item())).toBeLessThan(1e-14);
    const g = grad((w: Tensor) => reluPopulationLoss(w, V))(perm).dataSync();
    expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-14);
    expect(reluPopulationLoss(W, V).item()).toBeGreaterThan(0);
  });

  it('refuses bad shapes, dtypes and options, naming the function', () => {
    expect(() => reluPopulationLoss(W, gaussian(1, 2, 4))).toThrow(/reluPopulationLoss: W \[4, 3\] and V \[2, 4\] must agree on the last dimension/);
    expect(() => reluPopulationLoss(reshape(W, [12]), V)).toThrow(/reluPopulationLoss: W must be a matrix \[rows, k\], got shape \[12\]/);
    expect(() => reluPopulationLoss(W, V, { slop: 0.1 } as never)).toThrow(/reluPopulationLoss.*slop/);
    expect(() => reluPopulationLoss(W, V, { slope: Number.NaN })).toThrow(/reluPopulationLoss: slope/);
  });
});

describe('reluPopulationObjective: the plain-number gradient and Hessian (a second derivation)', () => {
  const n = 4;
  const k = 3;
  const flat = (slope: number) => (x: Tensor) => reluPopulationLoss(reshape(x, [n, k]), V, { slope });
  for (const slope of [0, 0.25]) {
    it(`equals autograd's value, gradient and Hessian of reluPopulationLoss to 1e-13, slope ${slope}`, () => {
      const obj = reluPopulationObjective(V, n, { slope });
      const w = Float64Array.from(W.dataSync());
      const g = new Float64Array(n * k);
      const value = obj.lossAndGrad(w, g);
      expect(value).toBeCloseTo(reluPopulationLoss(W, V, { slope }).item(), 13);
      expect(obj.loss(w)).toBe(value);
      const ga = grad(flat(slope))(reshape(W, [n * k])).dataSync();
      const Ha = hessian(flat(slope))(reshape(W, [n * k])).dataSync();
      const H = obj.hessian(w);
      for (let i = 0; i < g.length; i++) expect(Math.abs(g[i]! - ga[i]!)).toBeLessThan(1e-13);
      for (let i = 0; i < H.length; i++) expect(Math.abs(H[i]! - Ha[i]!)).toBeLessThan(1e-13);
    });
  }

  it('at the global minimum W = V = I has the eigenvalue 1/2 − 1/π derived by hand, and is PSD', () => {
    // At W = V = I the diagonal blocks are I (the W–V and W–W terms j ≠ i cancel; ∂²g/∂u² = 0 at
    // u = v) and block (i, j) is 2∂²g/∂u∂v at θ = π/2: I/2 + (eᵢeⱼᵀ + eⱼeᵢᵀ)/π. For X [k, k] with
    // columns xᵢ, antisymmetric with zero column sums, (HX)ᵢ = xᵢ − xᵢ/2 − xᵢ/π = (1/2 − 1/π)xᵢ.
    const k2 = 5;
    const I = eye(k2, k2, 'float64');
    const obj = reluPopulationObjective(I, k2);
    const w = Float64Array.from(I.dataSync());
    const g = new Float64Array(k2 * k2);
    expect(obj.lossAndGrad(w, g)).toBeCloseTo(0, 13);
    expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-13);
    const H = obj.hessian(w);
    const X = new Float64Array(k2 * k2);
    for (const [a, b] of [[0, 1], [1, 2], [2, 0]] as const) {
      X[a * k2 + b] = 1;
      X[b * k2 + a] = -1;
    }
    // x_i is column i of X, stored as block i of the parameter vector.
    const x = new Float64Array(k2 * k2);
    for (let i = 0; i < k2; i++) for (let a = 0; a < k2; a++) x[i * k2 + a] = X[a * k2 + i]!;
    const lambda = 0.5 - 1 / Math.PI;
    for (let r = 0; r < x.length; r++) {
      let hx = 0;
      for (let c = 0; c < x.length; c++) hx += H[r * x.length + c]! * x[c]!;
      expect(hx).toBeCloseTo(lambda * x[r]!, 13);
    }
    expect(obj.minEigenvalue(w)).toBeGreaterThan(0);
  });

  it('refuses a wrong-length W, naming the expected size', () => {
    const obj = reluPopulationObjective(V, n);
    expect(() => obj.loss(new Float64Array(5))).toThrow(/reluPopulationObjective: W must be a Float64Array of n·k = 12 values/);
    expect(() => reluPopulationObjective(V, 0)).toThrow(/reluPopulationObjective: n .* must be an integer ≥ 1, got 0/);
  });
});
