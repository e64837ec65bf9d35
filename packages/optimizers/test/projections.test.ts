import { type Tensor, prng, randn, sub, sum, mul, tensor } from '@ddopt/tensor';
import { splitKey } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { type Projection, affine, box, halfspace, hyperplane, l1Ball, l2Ball, linfBall, projected, sgd, simplex } from '../src/index.js';
import { f64, trajectory, values } from './helpers.js';

const n = 6;
const points = (seed: number, count: number, scale: number) => splitKey(prng(seed), count).map((k) => mul(randn(k, [n], { dtype: 'float64' }), scale));
const dot = (a: Tensor, b: Tensor) => sum(mul(a, b)).item();
const A = f64([
  [1, 2, 0, -1, 0.5, 0],
  [0, 1, 1, 0, -1, 2],
]);
const sets: [string, Projection, (x: number[]) => boolean][] = [
  ['box', box({ lower: -0.5, upper: 1 }), (x) => x.every((v) => v >= -0.5 && v <= 1)],
  ['l2Ball', l2Ball({ radius: 1.5 }), (x) => Math.hypot(...x) <= 1.5 + 1e-12],
  ['l2Ball with center', l2Ball({ radius: 0.5, center: f64([1, 0, 0, 0, 0, 1]) }), (x) => Math.hypot(x[0]! - 1, ...x.slice(1, 5), x[5]! - 1) <= 0.5 + 1e-12],
  ['l1Ball', l1Ball({ radius: 2 }), (x) => x.reduce((s, v) => s + Math.abs(v), 0) <= 2 + 1e-12],
  ['linfBall', linfBall({ radius: 0.3 }), (x) => x.every((v) => Math.abs(v) <= 0.3)],
  ['simplex', simplex(), (x) => x.every((v) => v >= 0) && Math.abs(x.reduce((s, v) => s + v, 0) - 1) < 1e-12],
  ['halfspace', halfspace({ a: f64([1, -1, 2, 0, 0, 1]), b: 0.5 }), (x) => x[0]! - x[1]! + 2 * x[2]! + x[5]! <= 0.5 + 1e-12],
  ['hyperplane', hyperplane({ a: f64([1, -1, 2, 0, 0, 1]), b: 0.5 }), (x) => Math.abs(x[0]! - x[1]! + 2 * x[2]! + x[5]! - 0.5) < 1e-12],
  ['affine', affine({ A, b: f64([1, -2]) }), (x) => Math.abs(x[0]! + 2 * x[1]! - x[3]! + 0.5 * x[4]! - 1) < 1e-12 && Math.abs(x[1]! + x[2]! - x[4]! + 2 * x[5]! + 2) < 1e-12],
];

describe('projections: feasible, idempotent, and optimal (the variational inequality)', () => {
  for (const [name, proj, feasible] of sets) {
    it(name, () => {
      const xs = points(1, 40, 2);
      const ys = points(2, 40, 2).map(proj); // feasible comparison points
      for (const x of xs) {
        const px = proj(x);
        expect(feasible(values(px))).toBe(true);
        expect(Math.max(...values(sub(proj(px), px)).map(Math.abs))).toBeLessThan(1e-12);
        // Π(x) is the nearest point of a closed convex set C iff ⟨x − Π(x), y − Π(x)⟩ ≤ 0 for all y ∈ C.
        for (const y of ys) expect(dot(sub(x, px), sub(y, px))).toBeLessThan(1e-10);
        // and no feasible y is nearer to x.
        const d = dot(sub(x, px), sub(x, px));
        for (const y of ys) expect(dot(sub(x, y), sub(x, y))).toBeGreaterThanOrEqual(d - 1e-10);
      }
    });
  }

  it('l1Ball and simplex against a worked example (Duchi et al. threshold)', () => {
    // |x| = (3, 1, 0.5): θ = (3 + 1 − 2)/2 = 1 gives (2, 0, 0)·sign; Σ = 2.
    expect(values(l1Ball({ radius: 2 })(f64([-3, 1, 0.5])))).toEqual([-2, 0, 0]);
    // x = (0.5, 0.4, −1): θ = (0.9 − 1)/2 = −0.05 → (0.55, 0.45, 0).
    const s = values(simplex()(f64([0.5, 0.4, -1])));
    expect(s[0]).toBeCloseTo(0.55, 15);
    expect(s[1]).toBeCloseTo(0.45, 15);
    expect(s[2]).toBe(0);
  });

  it('projected gradient descent minimises ‖x − c‖² over the simplex, landing on Π(c)', () => {
    const c = f64([0.9, 0.6, -0.3, 0.2, 0, 0.1]);
    const xs = trajectory(projected(sgd({ lr: 0.2 }), simplex()), tensor([1, 0, 0, 0, 0, 0], { dtype: 'float64' }), (x: Tensor) => mul(sub(x, c), 2), 100);
    const last = values(xs[99]!);
    const target = values(simplex()(c));
    for (const [i, v] of last.entries()) expect(v).toBeCloseTo(target[i]!, 10);
    expect(xs.every((x) => Math.abs(values(x).reduce((s, v) => s + v, 0) - 1) < 1e-12)).toBe(true);
  });

  it('a pytree spec projects only the leaves it names; bad input is refused', () => {
    const opt = projected(sgd({ lr: 1 }), { w: linfBall({ radius: 0.1 }), b: null });
    const p = { w: f64([0, 0]), b: f64([0]) };
    const r = opt.update({ w: f64([-5, 5]), b: f64([-5]) }, opt.init(p), p);
    expect(values(r.updates)).toEqual([0.1, -0.1, 5]);
    expect(() => l2Ball({ radius: -1 })).toThrow(/l2Ball: radius .*-1/);
    expect(() => affine({ A, b: f64([1]) })).toThrow(/affine: A must be \[m, n\] and b \[m\], got A \[2, 6\] and b \[1\]/);
    expect(() => affine({ A, b: f64([1, 2]) })(f64([1, 2]))).toThrow(/does not match A's 6 columns/);
  });
});
