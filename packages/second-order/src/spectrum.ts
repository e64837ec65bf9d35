// The top of a symmetric operator's spectrum: PyHessian's power iteration with deflation, or
// Lanczos with Ritz values (which needs far fewer products for k > 1).
import type { PyTree, Tensor } from '@ddopt/tensor';
import { type Check, type OptionSpec, checkOptions, option } from '@ddopt/tensor/validate';
import { SELECT, type HessianOperatorOptions, hessianOperatorAt } from './hessian-operator.js';
import type { Select } from './select.js';
import { lanczosFlat } from './lanczos.js';
import { type LinearOperator, flatOperator } from './operator.js';
import { powerIterationFlat } from './power-iteration.js';
import { normalFlat, rademacherFlat, sampleKey } from './probes.js';
import { fromFlat, toFlat } from './space.js';
import { tridiagonalEigen } from './tridiagonal.js';
import { axpyInto, norm, scale } from './vec.js';

/** Options of `topEigenvalues`. */
export interface TopEigenvaluesOptions<P = PyTree> {
  /** How many eigenvalues, of largest magnitude (default 1). */
  k?: number;
  /** Power: most products per eigenvalue; Lanczos: most steps (default 100, PyHessian's; Lanczos takes at most the size). */
  maxIter?: number;
  /** Power: relative change of the Rayleigh quotient (PyHessian's rule); Lanczos: Ritz residual ‖A·y − θy‖ ≤ tol·|θ| (default 1e-3). */
  tol?: number;
  /** Seed of the start vectors (default 0). */
  seed?: number;
  /** 'power' (default; PyHessian's algorithm) or 'lanczos'. */
  method?: 'power' | 'lanczos';
  /** Start vectors: k of them for power iteration, one for Lanczos. */
  v0?: readonly P[];
}

/** What `topEigenvalues` and `hessianEigenvalues` return. */
export interface EigenResult<P = PyTree> {
  /** Power: in the order found (decreasing magnitude up to tol), as PyHessian; Lanczos: by decreasing magnitude. */
  eigenvalues: number[];
  eigenvectors: P[];
  /** Products with the operator in all. */
  products: number;
  /** Power: products per eigenvalue; Lanczos: one entry, the steps taken. */
  iterations: number[];
  /** Whether every eigenvalue met the tolerance. */
  converged: boolean;
}

const OPTIONS = {
  k: option.int(1).default(1),
  maxIter: option.int(1).default(100),
  tol: option.number({ min: 0 }).default(1e-3),
  seed: option.int(0).default(0),
  method: option.oneOf(['power', 'lanczos'] as const).default('power'),
  v0: option.arrayOf(option.any()),
} satisfies OptionSpec<TopEigenvaluesOptions>;

/** The k eigenvalues of largest magnitude of a symmetric operator (largest first) and their eigenvectors. */
export function topEigenvalues<P>(op: LinearOperator<P>, options?: TopEigenvaluesOptions<P>): EigenResult<P> {
  return topEigen('topEigenvalues', op, options);
}

function topEigen<P>(where: string, op: LinearOperator<P>, options: TopEigenvaluesOptions<P> | undefined): EigenResult<P> {
  const o = checkOptions(where, options as TopEigenvaluesOptions | undefined, OPTIONS);
  const a = flatOperator(where, op);
  const n = a.space.size;
  if (o.k > n) throw new RangeError(`${where}: k = ${o.k} exceeds the dimension ${n} of the operator`);
  const v0 = (o.v0 ?? []).map((v, i) => toFlat(a.space, where, `v0[${i}]`, v));
  if (o.method === 'power') {
    if (o.v0 !== undefined && v0.length !== o.k) throw new RangeError(`${where}: v0 has ${v0.length} start vectors; power iteration needs k = ${o.k}`);
    const found: Float64Array[] = [];
    const eigenvalues: number[] = [];
    const iterations: number[] = [];
    let converged = true;
    for (let i = 0; i < o.k; i++) {
      const start = v0[i] ?? normalFlat(sampleKey(o.seed, i), n);
      const r = powerIterationFlat(a, { maxIter: o.maxIter, tol: o.tol, start, deflate: found });
      found.push(r.vector);
      eigenvalues.push(r.eigenvalue);
      iterations.push(r.iterations);
      converged &&= r.converged;
    }
    return { eigenvalues, eigenvectors: found.map((v) => fromFlat(a.space, v) as P), products: a.products, iterations, converged };
  }
  if (o.v0 !== undefined && v0.length !== 1) throw new RangeError(`${where}: v0 has ${v0.length} start vectors; Lanczos takes one`);
  const start = v0[0] ?? rademacherFlat(sampleKey(o.seed, 0), n);
  const steps = Math.min(o.maxIter, n);
  // Ritz pairs (θ, V·s): ‖A·V·s − θ·V·s‖ = β_m·|s_m| (the last row of s), the classic bound.
  const ritz = (alpha: readonly number[], beta: readonly number[]) => {
    const { values, vectors } = tridiagonalEigen(alpha, beta);
    const order = values.map((_, i) => i).sort((x, y) => Math.abs(values[y]!) - Math.abs(values[x]!));
    return { values, vectors, top: order.slice(0, o.k) };
  };
  let converged = false;
  const run = lanczosFlat(a, {
    iter: steps,
    full: true,
    start,
    seed: o.seed,
    onStep: (alpha, beta, nextBeta) => {
      if (alpha.length < o.k) return false;
      const { values, vectors, top } = ritz(alpha, beta);
      const m = alpha.length;
      converged = top.every((i) => nextBeta * Math.abs(vectors[m - 1]![i]!) <= o.tol * Math.abs(values[i]!));
      return converged || m === n;
    },
  });
  if (run.alpha.length === n) converged = true;
  const { values, vectors, top } = ritz(run.alpha, run.beta);
  const eigenvectors = top.map((i) => {
    const y = new Float64Array(n);
    for (const [j, b] of run.basis.entries()) axpyInto(y, vectors[j]![i]!, b);
    return fromFlat(a.space, scale(y, 1 / norm(y))) as P;
  });
  return { eigenvalues: top.map((i) => values[i]!), eigenvectors, products: a.products, iterations: [run.alpha.length], converged };
}

/** Options of `hessianEigenvalues`: those of `topEigenvalues`, and `select` for a block. */
export interface HessianEigenvaluesOptions<P = PyTree> extends TopEigenvaluesOptions<P>, HessianOperatorOptions {}

/**
 * The k eigenvalues of largest magnitude of the Hessian of `f` at `params` and their eigenvectors
 * (PyHessian's `eigenvalues(top_n = k)`: power iteration with deflation, maxIter 100, tol 1e-3),
 * or by Lanczos with `method: 'lanczos'`. With `select`, of the block of those sub-trees.
 */
export function hessianEigenvalues<P>(f: (params: P) => Tensor, params: P, options: HessianEigenvaluesOptions = {}): EigenResult<PyTree<any>> {
  const { select, ...rest } = splitSelect('hessianEigenvalues', options, OPTIONS);
  return topEigen('hessianEigenvalues', hessianOperatorAt('hessianEigenvalues', f, params, select), rest);
}

/** @internal Checks `options` against `spec` plus `select` (so a misspelt key is matched against all of them) and splits `select` off. */
export function splitSelect<T extends object>(where: string, options: T | undefined, spec: Record<string, Check<any>>): Omit<T, 'select'> & { select?: Select } {
  const checked = checkOptions(where, options as object, { ...spec, select: SELECT }) as Record<string, unknown>;
  const { select, ...rest } = checked;
  return { ...rest, select } as never;
}
