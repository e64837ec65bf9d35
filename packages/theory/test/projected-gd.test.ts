import { fromTypedArray, matmul, maximum, prng, randn, splitKey, square, sub, sum, type Tensor, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { hardThreshold, projectedGradientDescent } from '../src/index.js';

const norm = (t: Tensor) => Math.sqrt(sum(square(t)).item());

/** A planted sparse ReLU y = (Xw*)₊ with n Gaussian samples in d dimensions, entries of w* ±(½ + |z|) on s coordinates. */
function plantedSparseRelu(seed: number, n: number, d: number, support: number[]) {
  const [kx, kw] = splitKey(prng(seed), 2);
  const X = randn(kx!, [n, d], { dtype: 'float64' });
  const z = randn(kw!, [support.length], { dtype: 'float64' }).dataSync();
  const w = new Float64Array(d);
  support.forEach((i, j) => {
    w[i] = Math.sign(z[j]!) * (0.5 + Math.abs(z[j]!));
  });
  const wStar = fromTypedArray(w, [d], 'float64', 'cpu');
  return { X, y: maximum(matmul(X, wStar), 0), wStar };
}

describe('hardThreshold: the projection onto {‖w‖₀ ≤ s}', () => {
  it('keeps the s entries largest in magnitude (hand case, a negative one among them)', () => {
    const x = tensor([0.3, -2, 1, 0.5, -0.1], { dtype: 'float64' });
    expect(hardThreshold(x, 2).toArray()).toEqual([0, -2, 1, 0, 0]);
    expect(hardThreshold(x, 0).toArray()).toEqual([0, 0, 0, 0, 0]);
    expect(hardThreshold(x, 9).toArray()).toEqual([0.3, -2, 1, 0.5, -0.1]);
  });
});

describe('projectedGradientDescent: Soltanolkotabi’s PGD for a ReLU (seed 003 eq. 16)', () => {
  const d = 100;
  const support = [3, 17, 42, 64, 90];
  const { X, y, wStar } = plantedSparseRelu(11, 80, d, support);

  it('onto the ℓ0 ball recovers a planted 5-sparse w* from n = 80 < d = 100 samples; plain GD does not', () => {
    const pgd = projectedGradientDescent(X, y, { steps: 60, stepSize: 2, sparsity: 5, planted: wStar });
    expect(pgd.distances).toHaveLength(61);
    expect(pgd.distances[0]).toBeCloseTo(norm(wStar), 12); // w₀ = 0
    expect(norm(sub(pgd.w, wStar))).toBeLessThan(1e-9 * norm(wStar));
    // Linear convergence: over the last 20 steps above rounding, at least a factor 0.7 per step.
    const tail = pgd.distances.filter((e) => e > 1e-12 * norm(wStar));
    const k = Math.min(20, tail.length - 1);
    expect(tail[tail.length - 1]! / tail[tail.length - 1 - k]!).toBeLessThan(0.7 ** k);
    const gd = projectedGradientDescent(X, y, { steps: 60, stepSize: 0.5, planted: wStar });
    expect(gd.distances[60]!).toBeGreaterThan(0.1 * norm(wStar));
  });

  it('onto a convex K given as `project` (the oracle support subspace, an independent projection) recovers w*', () => {
    const mask = Float64Array.from({ length: d }, (_, i) => (support.includes(i) ? 1 : 0));
    const onSupport = (w: Tensor) => fromTypedArray(Float64Array.from(w.dataSync(), (v, i) => v * mask[i]!), [d], 'float64', 'cpu');
    const r = projectedGradientDescent(X, y, { steps: 80, stepSize: 2, project: onSupport, planted: wStar });
    expect(r.distances[80]!).toBeLessThan(1e-9 * norm(wStar));
  });

  it('refuses bad calls, naming the function and the argument', () => {
    expect(() => projectedGradientDescent(X, y, { step: 1 } as never)).toThrow(/projectedGradientDescent.*step/);
    expect(() => projectedGradientDescent(X, y, { sparsity: 3, project: (w: Tensor) => w })).toThrow(/projectedGradientDescent: give options.sparsity .* or options.project, not both/);
    expect(() => projectedGradientDescent(X, y, { sparsity: d + 1 })).toThrow(/projectedGradientDescent.*sparsity/);
    expect(() => projectedGradientDescent(X, y, { stepSize: 0 })).toThrow(/projectedGradientDescent.*stepSize/);
    expect(() => projectedGradientDescent(X, tensor([1, 2], { dtype: 'float64' }))).toThrow(/projectedGradientDescent: y \[2\] must have one output per row of X \[80, 100\]/);
    expect(() => projectedGradientDescent(X, y, { planted: tensor([1, 2], { dtype: 'float64' }) })).toThrow(/projectedGradientDescent: options.planted must be a float64 vector \[100\]/);
    expect(() => hardThreshold(wStar, -1)).toThrow(/hardThreshold: sparsity must be an integer ≥ 0, got -1/);
  });
});
