// Hutchinson's estimators (Hutchinson 1990; Bekas, Kokiopoulou & Saad 2007 for the diagonal): with
// Rademacher probes z, E[zᵀAz] = tr A and E[z ⊙ Az] = diag A.
import type { PyTree, Tensor } from '@ddopt/tensor';
import { type OptionSpec, checkOptions, option } from '@ddopt/tensor/validate';
import { hessianOperatorAt } from './hessian-operator.js';
import { type LinearOperator, flatOperator } from './operator.js';
import { rademacherFlat, sampleKey } from './probes.js';
import { fromFlat } from './space.js';
import { splitSelect } from './spectrum.js';
import { dot } from './vec.js';
import type { HessianOperatorOptions } from './hessian-operator.js';

/** Options of `hutchinsonTrace` and `hessianTrace`. */
export interface TraceOptions {
  /** Most probes (default 100, PyHessian's). */
  maxIter?: number;
  /** Stop when the running mean changes by less than tol relative to |previous mean| + 1e-6 (default 1e-3, PyHessian's rule). */
  tol?: number;
  /** Seed of the Rademacher probes (default 0). */
  seed?: number;
}

/** What the trace estimators return. */
export interface TraceResult {
  /** The mean of the samples. */
  trace: number;
  /** zᵢᵀAzᵢ, one per probe. */
  samples: number[];
  /** Standard error of the mean, s/√n (NaN with one sample). */
  stderr: number;
  products: number;
}

const TRACE = {
  maxIter: option.int(1).default(100),
  tol: option.number({ min: 0 }).default(1e-3),
  seed: option.int(0).default(0),
} satisfies OptionSpec<TraceOptions>;

function meanAndStderr(xs: readonly number[]): { mean: number; stderr: number } {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { mean, stderr: Number.NaN };
  const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, stderr: Math.sqrt(v / n) };
}

function traceOf(where: string, op: LinearOperator<any>, options: TraceOptions | undefined): TraceResult {
  const o = checkOptions(where, options, TRACE);
  const a = flatOperator(where, op);
  const samples: number[] = [];
  let previous = 0;
  for (let i = 0; i < o.maxIter; i++) {
    const z = rademacherFlat(sampleKey(o.seed, i), a.space.size);
    samples.push(dot(z, a.apply(z)));
    const { mean } = meanAndStderr(samples);
    if (Math.abs(mean - previous) / (Math.abs(previous) + 1e-6) < o.tol) break;
    previous = mean;
  }
  const { mean, stderr } = meanAndStderr(samples);
  return { trace: mean, samples, stderr, products: a.products };
}

/** tr A by Hutchinson's estimator with Rademacher probes, stopping as PyHessian does; with the standard error. */
export function hutchinsonTrace(op: LinearOperator<any>, options?: TraceOptions): TraceResult {
  return traceOf('hutchinsonTrace', op, options);
}

/** Options of `hessianTrace`. */
export interface HessianTraceOptions extends TraceOptions, HessianOperatorOptions {}

/** The trace of the Hessian of `f` at `params` (PyHessian's `trace`), its estimate and standard error; `select` for a block. */
export function hessianTrace<P>(f: (params: P) => Tensor, params: P, options: HessianTraceOptions = {}): TraceResult {
  const { select, ...rest } = splitSelect('hessianTrace', options, TRACE);
  return traceOf('hessianTrace', hessianOperatorAt('hessianTrace', f, params, select), rest);
}

/** Options of `hutchinsonDiagonal` and `hessianDiagonal`. */
export interface DiagonalOptions {
  /** Probes (default 100). */
  samples?: number;
  /** Seed of the Rademacher probes (default 0). */
  seed?: number;
}

/** What the diagonal estimators return, each shaped like the params. */
export interface DiagonalResult<P = PyTree> {
  /** mean of z ⊙ A·z over the probes. */
  diagonal: P;
  /** Standard error of each entry, s/√n (NaN with one probe). */
  stderr: P;
  samples: number;
  products: number;
}

const DIAGONAL = { samples: option.int(1).default(100), seed: option.int(0).default(0) } satisfies OptionSpec<DiagonalOptions>;

function diagonalOf<P>(where: string, op: LinearOperator<P>, options: DiagonalOptions | undefined): DiagonalResult<P> {
  const o = checkOptions(where, options, DIAGONAL);
  const a = flatOperator(where, op);
  const n = a.space.size;
  const sum = new Float64Array(n);
  const sumSq = new Float64Array(n);
  for (let i = 0; i < o.samples; i++) {
    const z = rademacherFlat(sampleKey(o.seed, i), n);
    const az = a.apply(z);
    for (let j = 0; j < n; j++) {
      const d = z[j]! * az[j]!;
      sum[j] = sum[j]! + d;
      sumSq[j] = sumSq[j]! + d * d;
    }
  }
  const m = o.samples;
  const mean = sum.map((s) => s / m);
  const err = mean.map((mu, j) => (m < 2 ? Number.NaN : Math.sqrt(Math.max(0, (sumSq[j]! - m * mu * mu) / (m - 1)) / m)));
  return { diagonal: fromFlat(a.space, mean) as P, stderr: fromFlat(a.space, err) as P, samples: m, products: a.products };
}

/** diag A by Hutchinson's estimator, mean of z ⊙ A·z over Rademacher probes, with per-entry standard errors. */
export function hutchinsonDiagonal<P>(op: LinearOperator<P>, options?: DiagonalOptions): DiagonalResult<P> {
  return diagonalOf('hutchinsonDiagonal', op, options);
}

/** Options of `hessianDiagonal`. */
export interface HessianDiagonalOptions extends DiagonalOptions, HessianOperatorOptions {}

/** The diagonal of the Hessian of `f` at `params` by Hutchinson's estimator, with its error bar; `select` for a block. */
export function hessianDiagonal<P>(f: (params: P) => Tensor, params: P, options: HessianDiagonalOptions = {}): DiagonalResult<PyTree<any>> {
  const { select, ...rest } = splitSelect('hessianDiagonal', options, DIAGONAL);
  return diagonalOf('hessianDiagonal', hessianOperatorAt('hessianDiagonal', f, params, select), rest);
}
