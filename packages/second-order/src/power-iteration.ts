// Power iteration as PyHessian takes it (Yao et al. 2020, hessian.py `eigenvalues`): normalise by
// ‖v‖ + 1e-6, orthogonalise against the eigenvectors already found (Gram–Schmidt, one pass) and
// normalise again before every product, and stop when the Rayleigh quotient changes by less than
// tol relative to |previous| + 1e-6; the eigenvalue returned is the previous estimate.
import type { PyTree } from '@ddopt/tensor';
import { type OptionSpec, checkOptions, option } from '@ddopt/tensor/validate';
import { type FlatOperator, type LinearOperator, flatOperator } from './operator.js';
import { normalFlat, sampleKey } from './probes.js';
import { fromFlat, toFlat } from './space.js';
import { axpyInto, dot, norm, scale } from './vec.js';

/** @internal v / (‖v‖ + 1e-6), PyHessian's `normalization`. */
export function pyNormalize(v: Float64Array): Float64Array {
  return scale(v, 1 / (norm(v) + 1e-6));
}

/** @internal PyHessian's `orthnormal`: subtract the projection on each of `basis` in turn, then normalise. */
export function pyOrthnormal(v: Float64Array, basis: readonly Float64Array[]): Float64Array {
  const w = Float64Array.from(v);
  for (const u of basis) axpyInto(w, -dot(w, u), u);
  return pyNormalize(w);
}

/** @internal One eigenpair by PyHessian's power iteration on flat vectors. */
export function powerIterationFlat(a: FlatOperator, o: { maxIter: number; tol: number; start: Float64Array; deflate: readonly Float64Array[] }): { eigenvalue: number; vector: Float64Array; iterations: number; converged: boolean } {
  let v = pyNormalize(o.start);
  let eigenvalue: number | undefined;
  let iterations = 0;
  let converged = false;
  for (let i = 0; i < o.maxIter; i++) {
    iterations++;
    v = pyOrthnormal(v, o.deflate);
    const hv = a.apply(v);
    const tmp = dot(hv, v);
    v = pyNormalize(hv);
    if (eigenvalue === undefined) eigenvalue = tmp;
    else if (Math.abs(eigenvalue - tmp) / (Math.abs(eigenvalue) + 1e-6) < o.tol) {
      converged = true;
      break;
    } else eigenvalue = tmp;
  }
  return { eigenvalue: eigenvalue ?? Number.NaN, vector: v, iterations, converged };
}

/** Options of `powerIteration`. */
export interface PowerIterationOptions<P = PyTree> {
  /** Most products (default 100, PyHessian's). */
  maxIter?: number;
  /** Relative change of the Rayleigh quotient that stops it (default 1e-3, PyHessian's). */
  tol?: number;
  /** Seed of the Gaussian start vector (default 0). */
  seed?: number;
  /** Start vector instead of a random one. */
  v0?: P;
  /** Unit vectors to stay orthogonal to (eigenvectors found before: deflation). */
  deflate?: readonly P[];
}

/** What `powerIteration` returns. */
export interface PowerIterationResult<P = PyTree> {
  /** The eigenvalue of largest magnitude (orthogonal to `deflate`), as PyHessian reports it. */
  eigenvalue: number;
  /** Its eigenvector, normalised (to ‖·‖ = 1/(1 + 1e-6/‖Hv‖), PyHessian's normalisation). */
  eigenvector: P;
  iterations: number;
  products: number;
  /** Whether the tolerance was met before maxIter. */
  converged: boolean;
}

const OPTIONS = {
  maxIter: option.int(1).default(100),
  tol: option.number({ min: 0 }).default(1e-3),
  seed: option.int(0).default(0),
  v0: option.any(),
  deflate: option.arrayOf(option.any()),
} satisfies OptionSpec<PowerIterationOptions>;

/** The eigenvalue of largest magnitude of a symmetric operator and its eigenvector, by PyHessian's power iteration. */
export function powerIteration<P>(op: LinearOperator<P>, options?: PowerIterationOptions<P>): PowerIterationResult<P> {
  const where = 'powerIteration';
  const o = checkOptions(where, options as PowerIterationOptions | undefined, OPTIONS);
  const a = flatOperator(where, op);
  const n = a.space.size;
  const start = o.v0 === undefined ? normalFlat(sampleKey(o.seed, 0), n) : toFlat(a.space, where, 'v0', o.v0);
  const deflate = (o.deflate ?? []).map((d, i) => toFlat(a.space, where, `deflate[${i}]`, d));
  const r = powerIterationFlat(a, { maxIter: o.maxIter, tol: o.tol, start, deflate });
  return { eigenvalue: r.eigenvalue, eigenvector: fromFlat(a.space, r.vector) as P, iterations: r.iterations, products: a.products, converged: r.converged };
}
