import { hvp } from '@ddopt/autograd';
import { type Tensor, eye, matmul, mul, reshape, sum, tensor, trace, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import {
  densityOnGrid,
  hessianDensity,
  hessianDiagonal,
  hessianEigenvalues,
  hessianOperator,
  hessianTrace,
  lanczos,
  matrixOperator,
  powerIteration,
  slqDensity,
  topEigenvalues,
} from '../src/index.js';
import { byMagnitude, fixture, flatValues, mlpProblem, relErr, unflat } from './fixture.js';

const { data, params, f } = mlpProblem('ce');
const py = fixture.pyhessian;
const exactTop = byMagnitude(data.hessianEigenvalues);
const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });
/** Matmuls of one Hessian-vector product of f: the unit the trace counts products in. */
const perProduct = trace(() => hvp(f, params, unflat(params, data.v))).counts.matmul!;

describe("hessianEigenvalues: PyHessian's power iteration with deflation, and Lanczos", () => {
  it("replays PyHessian's run from its start vectors: the same eigenvalues, iterations and products", () => {
    const v0 = py.eigen.starts.map((s: unknown[]) => unflat(params, s.flat(Infinity) as number[]));
    const traced = trace(() => hessianEigenvalues(f, params, { k: 3, v0 }));
    const r = traced.value;
    expect(r.iterations).toEqual(py.eigen.iterations);
    expect(relErr(r.eigenvalues, py.eigen.eigenvalues)).toBeLessThan(1e-9);
    expect(r.products).toBe(py.eigen.products);
    expect(traced.counts.matmul).toBe(r.products * perProduct);
  });

  it('with its defaults (maxIter 100, tol 1e-3, seeded start) it lands within PyHessian-like accuracy of the exact top 3', () => {
    const r = hessianEigenvalues(f, params, { k: 3, seed: 1 });
    expect(r.converged).toBe(true);
    // power iteration's error is about tol·λ·ratio/(1 − ratio) for the eigenvalue ratio of each deflated problem
    for (const [i, e] of r.eigenvalues.entries()) expect(Math.abs(e - exactTop[i]!) / Math.abs(exactTop[i]!)).toBeLessThan(2e-2);
    expect(flatValues(r.eigenvectors[0]).length).toBe(data.size);
  });

  it("method 'lanczos' finds the top 5 to 1e-6 in fewer than half of power iteration's products (counted by trace)", () => {
    const power = trace(() => hessianEigenvalues(f, params, { k: 5, seed: 2 }));
    const lz = trace(() => hessianEigenvalues(f, params, { k: 5, seed: 2, method: 'lanczos', tol: 1e-6 }));
    expect(relErr(lz.value.eigenvalues, exactTop.slice(0, 5))).toBeLessThan(1e-6);
    expect(lz.counts.matmul).toBe(lz.value.products * perProduct);
    expect(power.counts.matmul).toBe(power.value.products * perProduct);
    expect(lz.value.products * 2).toBeLessThan(power.value.products);
  });

  it("select: the eigenvalues of the W2 block are torch's eigenvalues of that block", () => {
    const r = hessianEigenvalues(f, params, { select: 'W2', k: 2, method: 'lanczos', tol: 1e-9 });
    expect(relErr(r.eigenvalues, byMagnitude(data.w2BlockEigenvalues).slice(0, 2))).toBeLessThan(1e-9);
    expect((r.eigenvectors[0] as Tensor).shape).toEqual([4, 3]);
    const both = hessianEigenvalues(f, params, { select: ['W2', 'b2'], k: 1, method: 'lanczos' });
    expect((both.eigenvectors[0] as Tensor[]).map((t) => t.shape)).toEqual([[4, 3], [3]]);
  });

  it('powerIteration finds the eigenvalue of largest magnitude, negative or not (to PyHessian’s normalisation bias, ≈ 2e-6 relative)', () => {
    const r = powerIteration(matrixOperator(mul(eye(3, 3, 'float64'), f64([5, -7, 1]))), { tol: 1e-10, maxIter: 1000 });
    expect(Math.abs(r.eigenvalue + 7) / 7).toBeLessThan(3e-6);
    expect(r.converged).toBe(true);
  });
});

describe('lanczos', () => {
  it('on a diagonal operator: T = VᵀAV, V orthonormal, and n steps give the diagonal as eigenvalues (closed form)', () => {
    const d = [4, -1, 2.5, 0.5, 3, -2];
    const a = mul(eye(6, 6, 'float64'), f64(d));
    const r = lanczos(matrixOperator(a), { iter: 6, seed: 3 });
    const v = transpose(reshape(tensor(r.basis.flatMap((b) => flatValues(b)), { dtype: 'float64' }), [6, 6]));
    const vtv = matmul(transpose(v), v).toArray() as number[][];
    for (const [i, row] of vtv.entries()) for (const [j, x] of row.entries()) expect(Math.abs(x - (i === j ? 1 : 0))).toBeLessThan(1e-14);
    const t = matmul(matmul(transpose(v), a), v).toArray() as number[][];
    for (const [i, row] of t.entries()) {
      for (const [j, x] of row.entries()) {
        const want = i === j ? r.alpha[i]! : Math.abs(i - j) === 1 ? r.beta[Math.min(i, j)]! : 0;
        expect(Math.abs(x - want)).toBeLessThan(1e-13);
      }
    }
    const nodes = hessianDensityOf(a, 6);
    expect(relErr(nodes, [...d].sort((x, y) => x - y))).toBeLessThan(1e-14);
    expect(r.products).toBe(6);
  });

  it("from PyHessian's SLQ start vector: the coefficients of a textbook Lanczos on torch's dense Hessian, and PyHessian's to its normalisation", () => {
    const v0 = unflat(params, py.lanczos.start.flat(Infinity));
    const r = lanczos(hessianOperator(f, params), { iter: data.size, v0 });
    expect(relErr(r.alpha, py.lanczos.exact.alphas)).toBeLessThan(1e-10);
    expect(relErr(r.beta, py.lanczos.exact.betas)).toBeLessThan(1e-10);
    // PyHessian divides by ‖w‖ + 1e-6 and re-orthogonalises once: its first 10 steps agree to about 1e-6
    const ten = lanczos(hessianOperator(f, params), { iter: 10, v0 });
    expect(relErr(ten.alpha, py.density.alphas[0])).toBeLessThan(1e-5);
    expect(relErr(ten.beta, py.density.betas[0])).toBeLessThan(1e-5);
  });

  it('refuses more steps than dimensions', () => {
    expect(() => lanczos(hessianOperator(f, params), { iter: 32 })).toThrow(/lanczos: iter 32 exceeds the dimension 31/);
    expect(() => lanczos(hessianOperator(f, params), {} as never)).toThrow(/lanczos: option iter is required/);
  });
});

/** SLQ nodes of a matrix with `iter` steps. */
function hessianDensityOf(a: Tensor, iter: number): number[] {
  return slqDensity(matrixOperator(a), { iter }).nodes[0]!;
}

describe('hessianDensity: stochastic Lanczos quadrature', () => {
  it("with iter = dimension the nodes are torch's exact Hessian eigenvalues and the weights sum to 1", () => {
    const r = hessianDensity(f, params, { iter: data.size, runs: 2, seed: 4 });
    for (let run = 0; run < 2; run++) {
      expect(relErr(r.nodes[run]!, data.hessianEigenvalues)).toBeLessThan(1e-10);
      expect(Math.abs(r.weights[run]!.reduce((s, w) => s + w, 0) - 1)).toBeLessThan(1e-12);
    }
    expect(r.products).toBe(2 * data.size);
  });

  it('Σ wⱼθⱼ estimates tr(H)/n: over 40 runs of 8 steps the mean is within 4 standard errors', () => {
    const r = hessianDensity(f, params, { iter: 8, runs: 40, seed: 5 });
    const m1 = r.nodes.map((ns, i) => ns.reduce((s, x, j) => s + x * r.weights[i]![j]!, 0));
    const mean = m1.reduce((s, x) => s + x, 0) / m1.length;
    const sd = Math.sqrt(m1.reduce((s, x) => s + (x - mean) ** 2, 0) / (m1.length - 1));
    expect(Math.abs(mean - data.trace / data.size)).toBeLessThan((4 * sd) / Math.sqrt(m1.length));
  });

  it("densityOnGrid is PyHessian's density_generate on the same nodes and weights", () => {
    const d = py.density;
    const out = densityOnGrid({ nodes: d.nodes, weights: d.weights }, { sigma2: d.sigma2, bins: d.bins });
    expect(relErr(out.grid, d.grid)).toBeLessThan(1e-14);
    expect(relErr(out.density, d.density)).toBeLessThan(1e-12);
    expect(() => densityOnGrid({ nodes: [[1, 2]], weights: [[1]] })).toThrow(/densityOnGrid: run 0 must have as many weights as nodes/);
  });
});

describe('hessianTrace and hessianDiagonal: Hutchinson with error bars', () => {
  it('the trace is within 4 standard errors of the exact one, stopping by PyHessian’s rule', () => {
    const r = hessianTrace(f, params, { seed: 6 });
    expect(Math.abs(r.trace - data.trace)).toBeLessThan(4 * r.stderr);
    const n = r.samples.length;
    const mean = (k: number) => r.samples.slice(0, k).reduce((s, x) => s + x, 0) / k;
    // PyHessian: stop at the first k with |mean_k − mean_{k−1}| / (|mean_{k−1}| + 1e-6) < tol (mean_0 = 0)
    for (let k = 1; k < n; k++) expect(Math.abs(mean(k) - (k > 1 ? mean(k - 1) : 0)) / (Math.abs(k > 1 ? mean(k - 1) : 0) + 1e-6)).toBeGreaterThanOrEqual(1e-3);
    if (n < 100) expect(Math.abs(mean(n) - mean(n - 1)) / (Math.abs(mean(n - 1)) + 1e-6)).toBeLessThan(1e-3);
    const sd = Math.sqrt(r.samples.reduce((s, x) => s + (x - r.trace) ** 2, 0) / (n - 1));
    expect(r.stderr).toBeCloseTo(sd / Math.sqrt(n), 12);
    expect(r.products).toBe(n);
  });

  it("the diagonal is within 4.5 standard errors of torch's in every entry (250 probes)", () => {
    const r = hessianDiagonal(f, params, { samples: 250, seed: 7 });
    const d = flatValues(r.diagonal);
    const e = flatValues(r.stderr);
    for (const [i, x] of d.entries()) expect(Math.abs(x - data.diagonal[i]!)).toBeLessThanOrEqual(4.5 * e[i]! + 1e-15);
  });

  it('on a diagonal operator every probe gives the diagonal exactly (zero error bar)', () => {
    const a = mul(eye(4, 4, 'float64'), f64([3, -1, 2, 7]));
    const quadratic = (w: Tensor) => mul(sum(mul(w, reshape(matmul(a, reshape(w, [4, 1])), [4]))), 0.5);
    const r = hessianDiagonal(quadratic, f64([0, 0, 0, 0]), { samples: 3 });
    expect(flatValues(r.diagonal)).toEqual([3, -1, 2, 7]);
    expect(flatValues(r.stderr)).toEqual([0, 0, 0, 0]);
  });

  it('options are checked with select among them: a misspelt key gets the nearest known one', () => {
    expect(() => hessianTrace(f, params, { selct: 'W1' } as never)).toThrow(/hessianTrace: unknown option "selct" \(did you mean "select"\?\); known options: maxIter, tol, seed, select/);
    expect(() => hessianEigenvalues(f, params, { k: 0 })).toThrow(/hessianEigenvalues: k must be an integer ≥ 1, got 0/);
    expect(() => hessianDensity(f, params, 5 as never)).toThrow(/hessianDensity: options must be an object/);
  });

  it('topEigenvalues works on any operator: the Gauss-Newton spectrum', () => {
    const op = matrixOperator(mul(eye(3, 3, 'float64'), f64([1, 2, 3])));
    expect(topEigenvalues(op, { k: 2, method: 'lanczos', tol: 1e-12 }).eigenvalues.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([3, 2]);
  });
});
