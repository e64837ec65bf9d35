import { prng, type Tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { fans } from './fans.js';
import * as init from './initializers.js';

function moments(t: Tensor): { mean: number; variance: number; min: number; max: number } {
  const v = t.dataSync();
  let s = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const x of v) {
    s += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = s / v.length;
  let q = 0;
  for (const x of v) q += (x - mean) ** 2;
  return { mean, variance: q / v.length, min, max };
}

// With n draws the sample variance has relative standard error ≈ √(2/n) for a Gaussian (less
// for a uniform); 6 standard errors makes the check fail with negligible probability.
function expectVariance(t: Tensor, expected: number): void {
  const { mean, variance } = moments(t);
  const rel = 6 * Math.sqrt(2 / t.size);
  expect(Math.abs(variance / expected - 1)).toBeLessThan(rel);
  expect(Math.abs(mean)).toBeLessThan(6 * Math.sqrt(expected / t.size));
}

describe('fans', () => {
  it('follow PyTorch layouts for dense and conv weights', () => {
    expect(fans([30, 20])).toEqual({ fanIn: 20, fanOut: 30 });
    expect(fans([16, 3, 5, 5])).toEqual({ fanIn: 75, fanOut: 400 });
    expect(fans([8, 4, 3])).toEqual({ fanIn: 12, fanOut: 24 });
    expect(fans([7])).toEqual({ fanIn: 7, fanOut: 7 });
  });
});

describe('initializers', () => {
  const key = prng(2024);
  it('zeros, ones and constant', () => {
    expect(Array.from(init.zeros()(key, [2, 2]).dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(init.ones()(key, [3], { dtype: 'float64' }).dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(init.constant(2.5)(key, [2]).dataSync())).toEqual([2.5, 2.5]);
  });

  it('normal(σ) has variance σ²', () => expectVariance(init.normal(0.3)(key, [200, 200]), 0.09));

  it('uniform(low, high) stays in range with variance (high − low)²/12', () => {
    const t = init.uniform({ low: -2, high: 1 })(key, [40000]);
    const { min, max } = moments(t);
    expect(min).toBeGreaterThanOrEqual(-2);
    expect(max).toBeLessThan(1);
    const { mean, variance } = moments(t);
    expect(Math.abs(mean + 0.5)).toBeLessThan(0.03);
    expect(Math.abs(variance / 0.75 - 1)).toBeLessThan(0.05);
  });

  it('xavier variances are 2/(fanIn + fanOut) for dense and conv shapes', () => {
    expectVariance(init.xavierUniform()(key, [300, 100]), 2 / 400);
    expectVariance(init.xavierNormal()(key, [300, 100]), 2 / 400);
    expectVariance(init.xavierNormal()(key, [32, 16, 3, 3]), 2 / (16 * 9 + 32 * 9));
    const bound = Math.sqrt(6 / 400);
    const { min, max } = moments(init.xavierUniform()(key, [300, 100]));
    expect(Math.max(-min, max)).toBeLessThanOrEqual(bound);
    expect(Math.max(-min, max)).toBeGreaterThan(0.99 * bound);
  });

  it('he variances are 2/fan (ReLU) and honor a and mode', () => {
    expectVariance(init.heNormal()(key, [200, 150]), 2 / 150);
    expectVariance(init.heUniform()(key, [200, 150]), 2 / 150);
    expectVariance(init.heNormal({ mode: 'fanOut' })(key, [64, 8, 3, 3]), 2 / (64 * 9));
    expectVariance(init.heUniform({ a: 1 })(key, [200, 150]), 1 / 150);
  });

  it('pytorchDefault draws weights and biases from U(±1/√fanIn)', () => {
    const w = init.pytorchDefault.weight(key, [400, 50]);
    const b = init.pytorchDefault.bias(key, [400], { fanIn: 50 });
    for (const t of [w, b]) {
      const { min, max } = moments(t);
      expect(Math.max(-min, max)).toBeLessThanOrEqual(1 / Math.sqrt(50));
    }
    expectVariance(w, 1 / (3 * 50));
  });

  it('orthogonal gives orthonormal rows or columns, with gain', () => {
    for (const shape of [
      [6, 4],
      [4, 6],
      [3, 2, 2, 1],
    ]) {
      const t = init.orthogonal({ gain: 2 })(key, shape, { dtype: 'float64' });
      expect(t.shape).toEqual(shape);
      const rows = shape[0]!;
      const cols = t.size / rows;
      const v = t.dataSync();
      const small = Math.min(rows, cols);
      // QᵀQ (tall) or QQᵀ (wide) is 4·I.
      for (let a = 0; a < small; a++) {
        for (let b = 0; b < small; b++) {
          let dot = 0;
          if (rows >= cols) for (let i = 0; i < rows; i++) dot += v[i * cols + a]! * v[i * cols + b]!;
          else for (let j = 0; j < cols; j++) dot += v[a * cols + j]! * v[b * cols + j]!;
          expect(dot).toBeCloseTo(a === b ? 4 : 0, 10);
        }
      }
    }
  });

  it('identity is eye for matrices and a Dirac kernel for convolutions', () => {
    expect(init.identity()(key, [2, 3]).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const k = init.identity()(key, [2, 2, 3, 3]).toArray() as number[][][][];
    expect(k[0]![0]![1]![1]).toBe(1);
    expect(k[1]![1]![1]![1]).toBe(1);
    expect(k[0]![1]![1]![1]).toBe(0);
    expect((init.identity()(key, [2, 2, 3, 3]).dataSync() as Float32Array).reduce((s, x) => s + x, 0)).toBe(2);
  });

  it('the same key gives bit-identical draws', () => {
    const a = init.heNormal()(prng(7), [5, 5]).dataSync();
    const b = init.heNormal()(prng(7), [5, 5]).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('refuses nonsense', () => {
    expect(() => init.uniform({ low: 1, high: 1 })).toThrow(/low < high/);
    expect(() => init.orthogonal()(key, [5])).toThrow(/rank ≥ 2/);
    expect(() => init.normal(-1)).toThrow(/stddev/);
  });
});
