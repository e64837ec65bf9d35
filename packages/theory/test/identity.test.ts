import { grad } from '@ddopt/autograd';
import { type Tensor, abs, add, eye, matmul, maximum, minimum, mul, sub, sum, transpose, zeros } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { identityAuxiliaryFunction, identityAuxiliaryMatrix, identityNet, identityNetPopulationLoss, reluPopulationLoss } from '../src/index.js';
import { expectWithinSe, gaussian } from './monte-carlo.js';

const d = 3;
const W = mul(gaussian(51, d, d), 0.3);
const WStar = mul(gaussian(52, d, d), 0.3);
const X = gaussian(53, 200_000, d);
const Xd = X.dataSync();

describe('identityNet / identityNetPopulationLoss: f(x; W) = Σᵢσ((eᵢ + wᵢ)ᵀx) (talk 004)', () => {
  for (const slope of [0, 0.2]) {
    it(`the closed form matches a seeded Monte Carlo of identityNet (2·10⁵ samples, 4 s.e.), slope ${slope}`, () => {
      const e = sub(identityNet(W, X, { slope }), identityNet(WStar, X, { slope }));
      expectWithinSe(identityNetPopulationLoss(W, WStar, { slope }).item(), mul(e, e).dataSync());
    });
  }

  it('reads the talk’s ‖σ((I + W)ᵀx)‖₁ with PReLU slope α as the sum with slope −α', () => {
    const alpha = 0.2;
    const l1 = (w: Tensor) => {
      const z = matmul(X, add(eye(d, d, 'float64'), w));
      return sum(abs(add(maximum(z, 0), mul(minimum(z, 0), alpha))), { axis: 1 });
    };
    const e = sub(l1(W), l1(WStar));
    expectWithinSe(identityNetPopulationLoss(W, WStar, { slope: -alpha }).item(), mul(e, e).dataSync());
  });

  it('its gradient matches per-sample Monte Carlo gradients 2(f − f*)·σ′((eⱼ + wⱼ)ᵀx)·xᵢ (4 s.e. per entry)', () => {
    const g = grad((w: Tensor) => identityNetPopulationLoss(w, WStar))(W).dataSync();
    const diff = sub(identityNet(W, X), identityNet(WStar, X)).dataSync();
    const Z = matmul(X, add(eye(d, d, 'float64'), W)).dataSync();
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const s = Float64Array.from(diff, (e, r) => (Z[r * d + j]! > 0 ? 2 * e * Xd[r * d + i]! : 0));
        expectWithinSe(g[i * d + j]!, s);
      }
    }
  });

  it('is reluPopulationLoss on the columns of I + W, and 0 at W = W*', () => {
    const rows = (w: Tensor) => transpose(add(eye(d, d, 'float64'), w));
    expect(identityNetPopulationLoss(W, WStar).item()).toBeCloseTo(reluPopulationLoss(rows(W), rows(WStar)).item(), 14);
    expect(identityNetPopulationLoss(WStar, WStar).item()).toBeCloseTo(0, 14);
  });
});

describe('the talk’s auxiliary function f_A and matrix A', () => {
  const cols = (w: Tensor) => {
    const m = add(eye(d, d, 'float64'), w).toArray() as number[][];
    return m[0]!.map((_, j) => m.map((r) => r[j]!));
  };
  const norm = (v: number[]) => Math.hypot(...v);

  it('f_A = Σᵢ(‖eᵢ + wᵢ*‖ − ‖eᵢ + wᵢ‖), written out column by column; 0 at W = W*', () => {
    const want = cols(WStar).reduce((s, c, i) => s + norm(c) - norm(cols(W)[i]!), 0);
    expect(identityAuxiliaryFunction(W, WStar).item()).toBeCloseTo(want, 14);
    expect(identityAuxiliaryFunction(WStar, WStar).item()).toBe(0);
    expect(identityAuxiliaryFunction(zeros([d, d], 'float64'), zeros([d, d], 'float64')).item()).toBe(0);
  });

  it('A = (W* + I)(W* + I)‾ᵀ − (W + I)(W + I)‾ᵀ with columns normalized, entry by entry; 0 at W = W*', () => {
    const outer = (w: Tensor) => {
      const c = cols(w);
      return Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => c.reduce((s, ci) => s + (ci[a]! * ci[b]!) / norm(ci), 0)));
    };
    const want = outer(WStar).map((r, a) => r.map((x, b) => x - outer(W)[a]![b]!));
    const A = identityAuxiliaryMatrix(W, WStar).toArray() as number[][];
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) expect(A[a]![b]).toBeCloseTo(want[a]![b]!, 14);
    expect(Math.max(...identityAuxiliaryMatrix(WStar, WStar).dataSync().map(Math.abs))).toBe(0);
  });

  it('refuses non-square or mismatched weights', () => {
    expect(() => identityNetPopulationLoss(gaussian(1, 2, 3), WStar)).toThrow(/identityNetPopulationLoss: W must be square \[d, d\], got \[2, 3\]/);
    expect(() => identityAuxiliaryFunction(gaussian(1, 2, 2), WStar)).toThrow(/identityAuxiliaryFunction: W \[2, 2\] and WStar \[3, 3\] must have the same size/);
    expect(() => identityNet(W, gaussian(1, 5, 4))).toThrow(/identityNet: X must have 3 columns, got shape \[5, 4\]/);
  });
});
