import { checkGrad, checkHvp, grad, hessian, jacfwd } from '@ddopt/autograd';
import { type Tensor, matmul, reshape, slice, tensor, zeros } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { preluKernel, reluKernel, vectorAngle } from '../src/index.js';
import { expectWithinSe, gaussian } from './monte-carlo.js';

const f64 = (x: number[]) => tensor(x, { dtype: 'float64' });
const N = 200_000;
const X = gaussian(11, N, 3);
const Xd = X.dataSync();

/** Samples of a function of (uᵀx, vᵀx, x) over the shared sample X. */
function samples(u: number[], v: number[], f: (zu: number, zv: number, x: (a: number) => number) => number): Float64Array {
  const zu = matmul(X, f64(u)).dataSync();
  const zv = matmul(X, f64(v)).dataSync();
  return Float64Array.from(zu, (a, i) => f(a, zv[i]!, (c) => Xd[i * 3 + c]!));
}
const pos = (z: number) => Math.max(z, 0);
const step = (z: number) => (z > 0 ? 1 : 0);

/** g on the concatenation z = [u; v] of two 3-vectors, to differentiate in both at once. */
const joint = (z: Tensor) => reluKernel(slice(z, [0], [3]), slice(z, [3], [3]));

const PAIRS: [string, number[], number[]][] = [
  ['generic', [0.3, -1.2, 0.5], [1, 0.2, -0.1]],
  ['obtuse', [1, 0.5, 0], [-0.8, 0.3, 0.6]],
  ['nearly parallel', [1, 2, -1], [1.01, 2, -0.99]],
  ['u = v', [0.3, -1.2, 0.5], [0.3, -1.2, 0.5]],
  ['u = −v', [0.3, -1.2, 0.5], [-0.3, 1.2, -0.5]],
];

describe('reluKernel: g(u, v) = E[(uᵀx)₊(vᵀx)₊] of survey eq. (9)', () => {
  for (const [name, u, v] of PAIRS) {
    it(`value and ∂g/∂u = E[x·1{uᵀx > 0}(vᵀx)₊] match a seeded Monte Carlo (2·10⁵ samples, 4 s.e.): ${name}`, () => {
      expectWithinSe(reluKernel(f64(u), f64(v)).item(), samples(u, v, (a, b) => pos(a) * pos(b)));
      const g = grad((x: Tensor) => reluKernel(x, f64(v)))(f64(u)).dataSync();
      for (let c = 0; c < 3; c++) expectWithinSe(g[c]!, samples(u, v, (a, b, x) => x(c) * step(a) * pos(b)));
    });
  }

  it('∂²g/∂u∂v = E[xxᵀ·1{uᵀx > 0, vᵀx > 0}] (Monte Carlo, 4 s.e.) at a generic pair', () => {
    const [, u, v] = PAIRS[0]!;
    const H = hessian(joint)(f64([...u, ...v])).dataSync();
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expectWithinSe(H[a * 6 + 3 + b]!, samples(u, v, (p, q, x) => x(a) * x(b) * step(p) * step(q)));
  });

  it('has the special values ‖u‖²/2 at u = v, 0 at u = −v, ‖u‖‖v‖/2π at right angles, 0 at u = 0', () => {
    const u = f64([0.3, -1.2, 0.5]);
    expect(reluKernel(u, u).item()).toBe((0.09 + 1.44 + 0.25) / 2);
    expect(reluKernel(u, f64([-0.6, 2.4, -1])).item()).toBe(0);
    expect(reluKernel(f64([2, 0, 0]), f64([0, 3, 0])).item()).toBeCloseTo(6 / (2 * Math.PI), 15);
    expect(reluKernel(zeros([3], 'float64'), u).item()).toBe(0);
    expect(vectorAngle(u, f64([-0.6, 2.4, -1])).item()).toBe(Math.PI);
    expect(vectorAngle(u, f64([0.6, -2.4, 1])).item()).toBe(0);
  });

  it('is exact at u = ±v in its first two derivatives: ∇ᵤg = v/2 or 0, ∇²ᵤg = 0, ∂²g/∂u∂v = I/2 or 0', () => {
    const u = [0.3, -1.2, 0.5];
    for (const [sign, cross] of [[1, 0.5], [-1, 0]] as const) {
      const v = u.map((x) => sign * x);
      const g = grad((x: Tensor) => reluKernel(x, f64(v)))(f64(u)).dataSync();
      expect([...g]).toEqual(sign === 1 ? v.map((x) => x / 2) : [0, 0, 0]);
      const H = hessian(joint)(f64([...u, ...v])).dataSync();
      for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) {
          expect(H[a * 6 + b]).toBe(0);
          expect(H[a * 6 + 3 + b]).toBe(a === b ? cross : 0);
        }
      }
    }
  });

  it('has finite derivatives of order 1–3 at u = v, u = −v, u = 0 and v = 0 (no NaN from the angle)', () => {
    const u = [0.3, -1.2, 0.5];
    for (const z of [[...u, ...u], [...u, ...u.map((x) => -x)], [0, 0, 0, ...u], [...u, 0, 0, 0], [...u, ...u.map((x) => 2 * x)]]) {
      const third = jacfwd(hessian(joint))(f64(z)).dataSync();
      expect(third.every(Number.isFinite), `third derivative at ${z}`).toBe(true);
      expect(hessian(joint)(f64(z)).dataSync().every(Number.isFinite)).toBe(true);
    }
    // At u = 0 the gradient is the average over directions of u: E[x·½(vᵀx)₊] = v/4.
    expect([...grad((x: Tensor) => reluKernel(x, f64(u)))(zeros([3], 'float64')).dataSync()]).toEqual(u.map((x) => x / 4));
  });

  it('agrees with float64 finite differences in gradient and Hessian-vector products (generic and nearly parallel)', () => {
    for (const z of [[0.3, -1.2, 0.5, 1, 0.2, -0.1], [1, 2, -1, 1.01, 2, -0.99]]) {
      expect(checkGrad(joint, f64(z), { rtol: 1e-7, atol: 1e-9 }).ok).toBe(true);
      expect(checkHvp(joint, f64(z), f64([0.2, -0.4, 0.1, 0.3, 0.5, -0.2]), { rtol: 1e-6, atol: 1e-8 }).ok).toBe(true);
    }
  });

  it('broadcasts leading axes ([2, 1, 3] with [1, 4, 3] gives [2, 4]) and refuses mismatched inputs', () => {
    const U = gaussian(1, 2, 3);
    const V = gaussian(2, 4, 3);
    const K = reluKernel(reshape(U, [2, 1, 3]), reshape(V, [1, 4, 3]));
    expect(K.shape).toEqual([2, 4]);
    expect(K.dataSync()[5]).toBeCloseTo(reluKernel(slice(U, [1, 0], [1, 3]), slice(V, [1, 0], [1, 3])).item(), 15);
    expect(() => reluKernel(U, gaussian(3, 2, 4))).toThrow(/reluKernel: u \[2, 3\] and v \[2, 4\] must agree on the last dimension/);
    expect(() => reluKernel(U, tensor([1, 2, 3]))).toThrow(/reluKernel: u is float64 but v is float32/);
    expect(() => reluKernel(tensor(1, { dtype: 'float64' }), U)).toThrow(/reluKernel: u must be of rank ≥ 1, got shape \[\]/);
    expect(() => reluKernel([1, 2, 3] as never, U)).toThrow(/reluKernel: u must be a Tensor/);
  });
});

describe('preluKernel: E[σ(uᵀx)σ(vᵀx)] for σ(z) = max(z, 0) + α·min(z, 0)', () => {
  for (const slope of [0.25, -0.25, 1]) {
    it(`matches a seeded Monte Carlo (4 s.e.) at α = ${slope}`, () => {
      const [, u, v] = PAIRS[1]!;
      const s = (z: number) => (z > 0 ? z : slope * z);
      expectWithinSe(preluKernel(f64(u), f64(v), slope).item(), samples(u, v, (a, b) => s(a) * s(b)));
    });
  }
  it('is the linear kernel uᵀv at α = 1 and refuses a non-finite slope', () => {
    expect(preluKernel(f64([1, 2, 3]), f64([-1, 0.5, 2]), 1).item()).toBeCloseTo(6, 14);
    expect(() => preluKernel(f64([1]), f64([1]), Number.NaN)).toThrow(/preluKernel: slope must be a finite number, got NaN/);
  });
});
