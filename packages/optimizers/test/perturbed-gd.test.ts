import { type Key, type Tensor, add, foldIn, mul, prng, randn, splitKey, tensor, uniform } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { type PerturbedGdState, perturbedGd, sgd, stateFromJSON, stateToJSON } from '../src/index.js';
import { f64, maxDiff, trajectory, values } from './helpers.js';

// ξₜ by the recipe perturbedGd documents, for a single float64 leaf.
function xiAt(key: Key, t: number, shape: number[], radius: number): number[] {
  const [kz, ku] = splitKey(foldIn(key, t), 2);
  const z = values(randn(kz!, shape, { dtype: 'float64' }));
  const u = uniform(ku!, [], { dtype: 'float64' }).item();
  const scale = (radius * u ** (1 / z.length)) / Math.hypot(...z);
  return z.map((x) => x * scale);
}

const norm = (xs: number[]) => Math.hypot(...xs);

describe('perturbedGd follows Algorithm 2 of Jin et al. (2017), the kick added to the GD step', () => {
  it('kicks when ‖∇f‖ ≤ gThres and t − t_noise > tThres (strict), t_noise starting at −tThres − 1', () => {
    const opt = perturbedGd({ lr: 0.1, gThres: 1, radius: 0.5, tThres: 3, key: prng(3) });
    const zero = f64([0, 0]);
    let s = opt.init(zero);
    const kicks: number[] = [];
    for (let t = 0; t < 13; t++) {
      const r = opt.update(zero, s);
      if (norm(values(r.updates)) > 0) kicks.push(t);
      s = r.state;
    }
    expect(kicks).toEqual([0, 4, 8, 12]); // 4 − 0 > 3; `≥` would give 0, 3, 6, 9, 12
    expect(s).toEqual({ count: 13, lastPerturbation: 12, perturbations: 4 });
  });

  it('the gradient test is ‖∇f‖ ≤ gThres, over all leaves together', () => {
    const opt = perturbedGd({ lr: 0.1, gThres: 5, radius: 0.5, tThres: 0, key: prng(3) });
    const at = { a: f64([3]), b: f64([[4]]) }; // global norm exactly 5
    expect(opt.update(at, opt.init(at)).state.perturbations).toBe(1);
    const above = { a: f64([3]), b: f64([[4.000001]]) };
    expect(opt.update(above, opt.init(above)).state.perturbations).toBe(0);
  });

  it('a hand-computed run on f(x) = ½·a·x²: −η·a·xₜ each step, plus ξₜ on kick steps', () => {
    const [a, lr, gThres, radius, tThres] = [0.5, 0.5, 1e-3, 0.01, 2];
    const key = prng(11);
    const opt = perturbedGd({ lr, gThres, radius, tThres, key });
    // By hand: x = 0.004, 0.003, 0.00225, 0.0016875 with ∇f = 0.002, 0.0015, 0.001125, 0.00084375: the first kick is at t = 3.
    let x = 0.004;
    let tNoise = -tThres - 1;
    const want: number[] = [];
    const kicks: number[] = [];
    for (let t = 0; t < 40; t++) {
      const g = a * x;
      let step = -lr * g;
      if (Math.abs(g) <= gThres && t - tNoise > tThres) {
        tNoise = t;
        kicks.push(t);
        step = xiAt(key, t, [1], radius)[0]! + step;
      }
      x += step;
      want.push(x);
    }
    expect(kicks[0]).toBe(3);
    expect(kicks.length).toBeGreaterThan(2);
    const got = trajectory(opt, f64([0.004]), (p: Tensor) => mul(p, a), 40).map((p) => values(p)[0]!);
    expect(maxDiff(got, want)).toBeLessThan(1e-15);
  });

  it('ξ is uniform in the ball of radius r in the dimension of the whole pytree (d = 3 here)', () => {
    const grads = { a: f64([0, 0]), b: f64([[0]]) };
    const radius = 0.2;
    const norms: number[] = [];
    const sums = [0, 0, 0];
    for (let seed = 0; seed < 300; seed++) {
      const opt = perturbedGd({ lr: 0.1, gThres: 1, radius, tThres: 0, key: prng(seed) });
      const u = opt.update(grads, opt.init(grads)).updates as { a: Tensor; b: Tensor };
      const xi = [...values(u.a), ...values(u.b)];
      norms.push(norm(xi));
      xi.forEach((v, i) => {
        sums[i]! += v / 300;
      });
    }
    expect(Math.max(...norms)).toBeLessThanOrEqual(radius * (1 + 1e-12));
    expect(Math.max(...norms)).toBeGreaterThan(0.95 * radius);
    // P(‖ξ‖ ≤ r/2) = (1/2)³ = 0.125 for the uniform 3-ball (about 37.5 of 300, standard deviation 5.7).
    const inner = norms.filter((n) => n <= radius / 2).length / 300;
    expect(inner).toBeGreaterThan(0.06);
    expect(inner).toBeLessThan(0.19);
    for (const m of sums) expect(Math.abs(m)).toBeLessThan(0.2 * radius);
  });

  it('is determined by its key: the same key repeats, another differs, and a resumed run repeats bit for bit', () => {
    const opts = { lr: 0.1, gThres: 1e-3, radius: 0.05, tThres: 5 };
    const gradF = saddleGrad;
    const x0 = f64([0, 0]);
    const a = trajectory(perturbedGd({ ...opts, key: prng(1) }), x0, gradF, 30).map(values);
    expect(trajectory(perturbedGd({ ...opts, key: prng(1) }), x0, gradF, 30).map(values)).toEqual(a);
    expect(maxDiff(a[0]!, trajectory(perturbedGd({ ...opts, key: prng(2) }), x0, gradF, 1).map(values)[0]!)).toBeGreaterThan(0);

    const opt = perturbedGd({ ...opts, key: prng(1) });
    let p = x0;
    let s = opt.init(p);
    for (let t = 0; t < 12; t++) {
      const r = opt.update(gradF(p), s);
      s = r.state;
      p = add(p, r.updates as Tensor);
    }
    const saved = JSON.stringify(stateToJSON({ p, s }));
    const back = stateFromJSON<{ p: Tensor; s: PerturbedGdState }>(JSON.parse(saved));
    const resumed = perturbedGd({ ...opts, key: prng(1) });
    let q = back.p;
    let s2 = back.s;
    for (let t = 12; t < 30; t++) {
      const r = resumed.update(gradF(q), s2);
      s2 = r.state;
      q = add(q, r.updates as Tensor);
    }
    expect(values(q)).toEqual(a[29]);
  });

  it('refuses bad options, naming them', () => {
    const ok = { lr: 0.1, gThres: 1e-3, radius: 0.05, tThres: 5, key: prng(1) };
    expect(() => perturbedGd({ ...ok, radius: 0 })).toThrow(/perturbedGd: radius must be a finite number > 0, got 0/);
    expect(() => perturbedGd({ ...ok, tThres: 1.5 })).toThrow(/perturbedGd: tThres must be an integer ≥ 0, got 1\.5/);
    expect(() => perturbedGd({ ...ok, key: 7 as never })).toThrow(/perturbedGd: key must be a PRNG key/);
    expect(() => perturbedGd({ ...ok, fThres: 1 } as never)).toThrow(/perturbedGd: unknown option "fThres"/);
  });
});

// f(x, y) = ½x² − ½y² + ¼y⁴: a strict saddle at 0, minima at (0, ±1) with f = −¼.
function saddleGrad(p: Tensor): Tensor {
  const [x, y] = values(p) as [number, number];
  return f64([x, -y + y ** 3]);
}

describe('perturbedGd escapes a strict saddle that GD cannot leave', () => {
  const f = (p: Tensor) => {
    const [x, y] = values(p) as [number, number];
    return 0.5 * x * x - 0.5 * y * y + 0.25 * y ** 4;
  };
  const opts = { lr: 0.1, gThres: 1e-3, radius: 0.05, tThres: 20 };

  it('GD started at the saddle stays; PGD leaves and reaches a minimum, kicking at most once per window', () => {
    const x0 = tensor([0, 0], { dtype: 'float64' });
    expect(values(trajectory(sgd({ lr: 0.1 }), x0, saddleGrad, 200)[199]!)).toEqual([0, 0]);
    const opt = perturbedGd({ ...opts, key: prng(7) });
    let state = opt.init(x0);
    let p = x0;
    const kicks: number[] = [];
    for (let t = 0; t < 300; t++) {
      const g = saddleGrad(p);
      const r = opt.update(g, state, p);
      if (r.state.perturbations > state.perturbations) {
        kicks.push(t);
        expect(norm(values(add(r.updates as Tensor, mul(g, opts.lr))))).toBeLessThanOrEqual(opts.radius * (1 + 1e-12));
      }
      state = r.state;
      p = add(p, r.updates as Tensor);
    }
    expect(kicks[0]).toBe(0);
    for (let i = 1; i < kicks.length; i++) expect(kicks[i]! - kicks[i - 1]!).toBeGreaterThan(opts.tThres);
    // Near the minimum the gradient is small again, so PGD keeps kicking by ≤ r once per window
    // and GD pulls it back: it hovers within O(r²) of f* = −¼ rather than converging exactly.
    expect(Math.abs(f(p) + 0.25)).toBeLessThan(opts.radius ** 2);
    expect(Math.abs(Math.abs(values(p)[1]!) - 1)).toBeLessThan(opts.radius);
  });
});
