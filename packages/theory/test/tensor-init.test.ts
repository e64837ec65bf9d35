import { matmul, maximum, prng, randn, splitKey, type Tensor, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import {
  empiricalHermiteMoments,
  empiricalProjectedMoment4,
  permutationDistance,
  reluHermiteCoefficient,
  reluHermiteMoments,
  reluProjectedMoment4,
  tensorInitialization,
} from '../src/index.js';
import fixture from './fixtures/relu_hermite.json';
import { expectWithinSe, gaussian, meanSe } from './monte-carlo.js';

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: 'float64' });
const teacherOutput = (X: Tensor, W: Tensor, v: Tensor) => matmul(maximum(matmul(X, transpose(W)), 0), v);

// A small teacher: d = 3, k = 2 units with output weights of both signs.
const W = f64([[1.2, -0.4, 0.3], [0.2, 0.9, -0.7]]);
const v = f64([1, -1]);
const d = 3;


describe('Hermite moments of a ReLU teacher (seed 003 Algorithm 4, Zhong et al. 2017)', () => {
  it('m_j(σ) = E[relu(σz)He_j(z)] equals SciPy quadrature (relu_hermite.py, recorded) to 1e-12', () => {
    for (const c of fixture.cases) expect(Math.abs(reluHermiteCoefficient(c.j, c.sigma) - c.value)).toBeLessThan(1e-12);
  });

  it('M₁ = E[y x] and M₂ = E[y(x⊗x − I)] match a seeded Monte Carlo (2·10⁵ samples, each entry within 4 s.e.)', () => {
    const N = 200_000;
    const X = gaussian(91, N, d);
    const y = teacherOutput(X, W, v).dataSync();
    const xs = X.dataSync();
    const { m1, m2 } = reluHermiteMoments(W, v);
    const e1 = m1.dataSync();
    const e2 = m2.dataSync();
    const emp = empiricalHermiteMoments(X, teacherOutput(X, W, v));
    const g1 = emp.m1.dataSync();
    const g2 = emp.m2.dataSync();
    for (let a = 0; a < d; a++) {
      const per1 = Float64Array.from({ length: N }, (_, n) => y[n]! * xs[n * d + a]!);
      expectWithinSe(e1[a]!, per1);
      expect(Math.abs(g1[a]! - meanSe(per1).mean)).toBeLessThan(1e-12);
      for (let b = 0; b < d; b++) {
        const per2 = Float64Array.from({ length: N }, (_, n) => y[n]! * (xs[n * d + a]! * xs[n * d + b]! - (a === b ? 1 : 0)));
        expectWithinSe(e2[a * d + b]!, per2);
        expect(Math.abs(g2[a * d + b]! - meanSe(per2).mean)).toBeLessThan(1e-12);
      }
    }
    // A second derivation of M₂ (Stein's lemma): E[y(xxᵀ − I)] = E[∇²y] = Σᵢ vᵢ wᵢwᵢᵀ p_{wᵢᵀx}(0), p(0) = 1/(√(2π)‖wᵢ‖).
    const rows = W.toArray() as number[][];
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
      const stein = rows.reduce((s, w, i) => s + (i === 0 ? 1 : -1) * w[a]! * w[b]! / (Math.sqrt(2 * Math.PI) * Math.hypot(...w)), 0);
      expect(e2[a * d + b]).toBeCloseTo(stein, 14);
    }
  }, 30_000);

  it('M₄(V, V, V, α) and M₄(V, V, V, V) match a Monte Carlo of the full 4-tensor He₄(x) = x⊗⁴ − Σ₆ x⊗x⊗I + Σ₃ I⊗I contracted by loops (6·10⁴ samples, 4 s.e.)', () => {
    const N = 60_000;
    const X = gaussian(92, N, d);
    const yT = teacherOutput(X, W, v);
    const y = yT.dataSync();
    const xs = X.dataSync();
    const V = f64([[0.8, 0], [0.6, 0], [0, 1]]); // orthonormal columns, r = 2
    const alpha = f64([0.48, -0.64, 0.6]);
    const r = 2;
    const Vd = V.dataSync();
    const al = alpha.dataSync();
    const exact = reluProjectedMoment4(W, v, V, alpha).dataSync();
    const estimator = empiricalProjectedMoment4(X, yT, V, alpha).dataSync();
    const dl = (a: number, b: number) => (a === b ? 1 : 0);
    const per = Array.from({ length: r * r * r }, () => new Float64Array(N));
    const exact4 = reluProjectedMoment4(W, v, V).dataSync();
    const estimator4 = empiricalProjectedMoment4(X, yT, V).dataSync();
    const per4 = Array.from({ length: r ** 4 }, () => new Float64Array(N));
    const H = new Float64Array(d ** 4);
    // The distinct entries of the symmetric results (r = 2): indices sorted, i ≤ j ≤ l (≤ m).
    const distinct3 = [0b000, 0b001, 0b011, 0b111];
    const distinct4 = [0b0000, 0b0001, 0b0011, 0b0111, 0b1111];
    // The contraction weights V_ai V_bj V_cl α_e (and V_em), one flattened d⁴ array per output entry.
    const weights3 = Array.from({ length: r ** 3 }, (_, t) => {
      const [i, j, l] = [Math.floor(t / (r * r)), Math.floor(t / r) % r, t % r];
      return Float64Array.from({ length: d ** 4 }, (_, q) => {
        const [a, b, c, e] = [Math.floor(q / d ** 3), Math.floor(q / d ** 2) % d, Math.floor(q / d) % d, q % d];
        return Vd[a * r + i]! * Vd[b * r + j]! * Vd[c * r + l]! * al[e]!;
      });
    });
    const weights4 = Array.from({ length: r ** 4 }, (_, t) => {
      const [i, j, l, m] = [Math.floor(t / r ** 3), Math.floor(t / (r * r)) % r, Math.floor(t / r) % r, t % r];
      return Float64Array.from({ length: d ** 4 }, (_, q) => {
        const [a, b, c, e] = [Math.floor(q / d ** 3), Math.floor(q / d ** 2) % d, Math.floor(q / d) % d, q % d];
        return Vd[a * r + i]! * Vd[b * r + j]! * Vd[c * r + l]! * Vd[e * r + m]!;
      });
    });
    for (let n = 0; n < N; n++) {
      const x = xs.subarray(n * d, n * d + d);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) for (let c = 0; c < d; c++) for (let e = 0; e < d; e++) {
        const two = dl(a, b) * x[c]! * x[e]! + dl(a, c) * x[b]! * x[e]! + dl(a, e) * x[b]! * x[c]! + dl(b, c) * x[a]! * x[e]! + dl(b, e) * x[a]! * x[c]! + dl(c, e) * x[a]! * x[b]!;
        const four = dl(a, b) * dl(c, e) + dl(a, c) * dl(b, e) + dl(a, e) * dl(b, c);
        H[((a * d + b) * d + c) * d + e] = x[a]! * x[b]! * x[c]! * x[e]! - two + four;
      }
      for (const t of distinct3) {
        let acc = 0;
        const wt = weights3[t]!;
        for (let q = 0; q < d ** 4; q++) acc += H[q]! * wt[q]!;
        per[t]![n] = y[n]! * acc;
      }
      for (const t of distinct4) {
        let acc = 0;
        const wt = weights4[t]!;
        for (let q = 0; q < d ** 4; q++) acc += H[q]! * wt[q]!;
        per4[t]![n] = y[n]! * acc;
      }
    }
    for (const t of distinct3) {
      expectWithinSe(exact[t]!, per[t]!);
      expect(Math.abs(estimator[t]! - meanSe(per[t]!).mean)).toBeLessThan(1e-10);
    }
    for (const t of distinct4) {
      expectWithinSe(exact4[t]!, per4[t]!);
      expect(Math.abs(estimator4[t]! - meanSe(per4[t]!).mean)).toBeLessThan(1e-10);
    }
    // The symmetric entries agree among themselves (e.g. [0, 0, 1] = [1, 0, 0] = [0, 1, 0]).
    expect(exact4[0b0011]).toBeCloseTo(exact4[0b1010]!, 14);
    expect(estimator[0b001]).toBeCloseTo(estimator[0b100]!, 12);
  }, 30_000);
});

describe('tensorInitialization (Algorithm 4)', () => {
  // Teacher d = 10, k = 3, W* rows ~ N(0, I), v* = (1, 1, −1); 3·10⁵ samples (10⁵ per partition).
  const dd = 10;
  const k = 3;
  const [kw, kx, ki, kr] = splitKey(prng(2017), 4);
  const WStar = randn(kw!, [k, dd], { dtype: 'float64' });
  const vStar = f64([1, 1, -1]);
  const X = randn(kx!, [300_000, dd], { dtype: 'float64' });
  const y = teacherOutput(X, WStar, vStar);

  it('lands far closer to W* than random initialization: relative distance ≤ 0.25 vs ≥ 0.8 for each of 20 N(0, I) draws, means apart by > 0.5', () => {
    const init = tensorInitialization(X, y, k, { key: ki! });
    const norm = Math.hypot(...WStar.dataSync());
    const tensorDist = permutationDistance(init.W, WStar) / norm;
    const random = splitKey(kr!, 20).map((key) => permutationDistance(randn(key, [k, dd], { dtype: 'float64' }), WStar) / norm);
    const { mean, se } = meanSe(random);
    expect(tensorDist).toBeLessThanOrEqual(0.25);
    expect(Math.min(...random)).toBeGreaterThanOrEqual(0.8);
    // The margin 0.5 is more than 20 standard errors of the random mean (se ≈ 0.02 here).
    expect(mean - tensorDist).toBeGreaterThan(0.5);
    expect(se).toBeLessThan(0.05);
    expect(init.residual).toBeLessThan(0.5);
    // Output signs, matched to the teacher's units by nearest row.
    const est = init.W.toArray() as number[][];
    const signs = init.v.dataSync();
    const star = WStar.toArray() as number[][];
    star.forEach((w, i) => {
      const dist = est.map((e) => Math.hypot(...e.map((c, a) => c - w[a]!)));
      const j = dist.indexOf(Math.min(...dist));
      expect(signs[j]).toBe(vStar.dataSync()[i]);
    });
    expect(init.subspace.shape).toEqual([dd, k]);
  }, 30_000);

  it('refuses bad calls, naming the function, the argument and the value', () => {
    const key = prng(1);
    expect(() => tensorInitialization(X, y, k, { key, trails: 3 } as never)).toThrow(/tensorInitialization: unknown option "trails".*trials/);
    expect(() => tensorInitialization(X, y, k, {} as never)).toThrow(/tensorInitialization: .*key/);
    expect(() => tensorInitialization(X, y, 11, { key })).toThrow(/tensorInitialization: k \(the number of hidden units\) must be an integer in \[1, d = 10\], got 11/);
    expect(() => tensorInitialization(f64([[1, 2]]), f64([1]), 1, { key })).toThrow(/tensorInitialization: X must have at least 3\(d \+ 1\) = 9 rows/);
    expect(() => empiricalHermiteMoments(X, f64([1, 2]))).toThrow(/empiricalHermiteMoments: y \[2\] must have one output per row of X \[300000, 10\]/);
    expect(() => reluHermiteMoments(W, f64([1]))).toThrow(/reluHermiteMoments: v \[1\] must have one output weight per row of W \[2, 3\]/);
    expect(() => reluHermiteCoefficient(5, 1)).toThrow(/reluHermiteCoefficient: j must be 1, 2, 3 or 4, got 5/);
    expect(() => reluProjectedMoment4(W, v, f64([[1, 0]]), f64([1, 0, 0]))).toThrow(/reluProjectedMoment4: V must be \[d, r\] and alpha \[d\] with d = 3/);
  });
});
