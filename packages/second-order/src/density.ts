// Stochastic Lanczos quadrature (Golub & Meurant; Ghorbani, Krishnan & Xiao 2019; PyHessian's
// `density`): m Lanczos steps from a normalised Rademacher vector v give T; its eigenvalues θⱼ are
// the nodes and (first component of its eigenvectors)² the weights of a Gauss quadrature of the
// spectral measure seen from v: Σⱼ wⱼ g(θⱼ) ≈ vᵀ g(A) v, exact for polynomials of degree < 2m.
import type { Tensor } from '@ddopt/tensor';
import { type OptionSpec, checkOptions, fmtValue, option } from '@ddopt/tensor/validate';
import { type HessianOperatorOptions, hessianOperatorAt } from './hessian-operator.js';
import { checkIter, lanczosFlat } from './lanczos.js';
import { type LinearOperator, flatOperator } from './operator.js';
import { rademacherFlat, sampleKey } from './probes.js';
import { splitSelect } from './spectrum.js';
import { tridiagonalEigen } from './tridiagonal.js';

/** Options of `slqDensity` and `hessianDensity`. */
export interface DensityOptions {
  /** Lanczos steps per run (default 100, PyHessian's), at most the dimension. */
  iter?: number;
  /** Independent start vectors (default 1). */
  runs?: number;
  /** Seed of the Rademacher start vectors (default 0). */
  seed?: number;
}

/** Quadrature nodes and weights, one row per run (weights of a run sum to 1). */
export interface SpectralDensity {
  nodes: number[][];
  weights: number[][];
  products: number;
}

const OPTIONS = { iter: option.int(1).default(100), runs: option.int(1).default(1), seed: option.int(0).default(0) } satisfies OptionSpec<DensityOptions>;

function densityOf(where: string, op: LinearOperator<any>, options: DensityOptions | undefined): SpectralDensity {
  const o = checkOptions(where, options, OPTIONS);
  const a = flatOperator(where, op);
  checkIter(where, o.iter, a.space.size);
  const nodes: number[][] = [];
  const weights: number[][] = [];
  for (let run = 0; run < o.runs; run++) {
    const start = rademacherFlat(sampleKey(o.seed, run), a.space.size);
    const l = lanczosFlat(a, { iter: o.iter, full: true, start, seed: o.seed + run });
    const { values, vectors } = tridiagonalEigen(l.alpha, l.beta);
    nodes.push(values);
    weights.push(vectors[0]!.map((s) => s * s));
  }
  return { nodes, weights, products: a.products };
}

/** The spectral density of a symmetric operator by stochastic Lanczos quadrature with full re-orthogonalisation. */
export function slqDensity(op: LinearOperator<any>, options?: DensityOptions): SpectralDensity {
  return densityOf('slqDensity', op, options);
}

/** Options of `hessianDensity`. */
export interface HessianDensityOptions extends DensityOptions, HessianOperatorOptions {}

/** The Hessian's spectral density at `params` by stochastic Lanczos quadrature (PyHessian's `density`); with iter = dimension the nodes are the exact eigenvalues. */
export function hessianDensity<P>(f: (params: P) => Tensor, params: P, options: HessianDensityOptions = {}): SpectralDensity {
  const { select, ...rest } = splitSelect('hessianDensity', options, OPTIONS);
  return densityOf('hessianDensity', hessianOperatorAt('hessianDensity', f, params, select), rest);
}

/** Options of `densityOnGrid`. */
export interface DensityOnGridOptions {
  /** Variance of the Gaussian put on each node, scaled by max(1, λmax − λmin) as PyHessian does (default 1e-5). */
  sigma2?: number;
  /** Grid points (default 10000, PyHessian's). */
  bins?: number;
  /** Margin added beyond the mean extreme nodes (default 0.01, PyHessian's). */
  overhead?: number;
}

const GRID = { sigma2: option.number({ above: 0 }).default(1e-5), bins: option.int(2).default(10000), overhead: option.number({ min: 0 }).default(0.01) } satisfies OptionSpec<DensityOnGridOptions>;

/**
 * A smooth density on a grid from SLQ nodes and weights, for plots (PyHessian's
 * `density_generate`): each node becomes a Gaussian of variance sigma2·max(1, λmax − λmin), the
 * runs are averaged and the result normalised to unit area on the grid.
 */
export function densityOnGrid(density: Pick<SpectralDensity, 'nodes' | 'weights'>, options?: DensityOnGridOptions): { grid: number[]; density: number[] } {
  const where = 'densityOnGrid';
  const o = checkOptions(where, options, GRID);
  const d = density as SpectralDensity | null;
  if (d === null || typeof d !== 'object' || !Array.isArray(d.nodes) || !Array.isArray(d.weights) || d.nodes.length === 0) {
    throw new TypeError(`${where}: density must be { nodes, weights } with one row per run (hessianDensity's result), got ${fmtValue(density)}`);
  }
  const runs = d.nodes.length;
  if (d.weights.length !== runs) throw new RangeError(`${where}: ${runs} runs of nodes but ${d.weights.length} of weights`);
  d.nodes.forEach((row, i) => {
    if (!Array.isArray(row) || !Array.isArray(d.weights[i]) || row.length !== d.weights[i]!.length || row.length === 0) {
      throw new RangeError(`${where}: run ${i} must have as many weights as nodes (got ${fmtValue(row)} and ${fmtValue(d.weights[i])})`);
    }
  });
  const lmax = d.nodes.reduce((s, r) => s + Math.max(...r), 0) / runs + o.overhead;
  const lmin = d.nodes.reduce((s, r) => s + Math.min(...r), 0) / runs - o.overhead;
  const grid = Array.from({ length: o.bins }, (_, j) => lmin + ((lmax - lmin) * j) / (o.bins - 1));
  const s2 = o.sigma2 * Math.max(1, lmax - lmin);
  const c = 1 / Math.sqrt(2 * Math.PI * s2);
  const out = grid.map((x) => {
    let acc = 0;
    for (let r = 0; r < runs; r++) {
      const ns = d.nodes[r]!;
      const ws = d.weights[r]!;
      let s = 0;
      for (let k = 0; k < ns.length; k++) s += c * Math.exp(-((x - ns[k]!) ** 2) / (2 * s2)) * ws[k]!;
      acc += s;
    }
    return acc / runs;
  });
  const area = out.reduce((s, v) => s + v, 0) * (grid[1]! - grid[0]!);
  return { grid, density: out.map((v) => v / area) };
}
