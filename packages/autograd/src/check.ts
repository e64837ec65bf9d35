import { type Tensor, isTensor, tensor, tidy, treeUnflatten } from '@ddopt/tensor';
import { gradAs } from './grad.js';
import { checkArg, checkOptions, option } from '@ddopt/tensor/validate';
import { hvp } from './hessian.js';
import { flat } from './tree.js';

/** Tolerances of `checkGrad` / `checkHvp`: an entry passes when |analytic − numeric| ≤ atol + rtol·|numeric|. */
export interface CheckOptions {
  /** Central-difference step (default 1e-6; use ~1e-2 for float32 parameters). */
  eps?: number;
  rtol?: number;
  atol?: number;
}

/** The outcome of a derivative check, with the entry that is furthest out of tolerance. */
export interface CheckResult {
  ok: boolean;
  maxAbsErr: number;
  maxRelErr: number;
  worst: { path: string; index: number; analytic: number; numeric: number } | undefined;
}

/** @internal Compares analytic and numeric values leaf by leaf; `paths` name the leaves. */
export function compareLeaves(paths: readonly string[], analytic: readonly Float64Array[], numeric: readonly Float64Array[], rtol: number, atol: number): CheckResult {
  let ok = true;
  let maxAbsErr = 0;
  let maxRelErr = 0;
  let worstScore = -1;
  let worst: CheckResult['worst'];
  paths.forEach((path, l) => {
    const a = analytic[l]!;
    const n = numeric[l]!;
    for (let i = 0; i < a.length; i++) {
      const err = Math.abs(a[i]! - n[i]!);
      const rel = err / Math.max(Math.abs(n[i]!), Number.MIN_VALUE);
      const score = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err / (atol + rtol * Math.abs(n[i]!));
      if (!(score <= 1)) ok = false;
      maxAbsErr = Math.max(maxAbsErr, Number.isNaN(err) ? Number.POSITIVE_INFINITY : err);
      maxRelErr = Math.max(maxRelErr, Number.isNaN(rel) ? Number.POSITIVE_INFINITY : rel);
      if (score > worstScore) {
        worstScore = score;
        worst = { path, index: i, analytic: a[i]!, numeric: n[i]! };
      }
    }
  });
  return { ok, maxAbsErr, maxRelErr, worst };
}

/** `params` with leaf `l`'s entry `i` moved by `delta` (a fresh tensor; the others shared). */
function perturbed(p: ReturnType<typeof flat>, l: number, i: number, delta: number): unknown {
  const x = p.leaves[l]!;
  const v = Float64Array.from(x.dataSync());
  v[i]! += delta;
  const moved = tensor(x.dtype === 'float64' ? v : Float32Array.from(v), { shape: x.shape, dtype: x.dtype, backend: x.backend });
  return treeUnflatten(
    p.def,
    p.leaves.map((y, k) => (k === l ? moved : y)),
  );
}

function scalarOf(op: string, y: unknown): number {
  if (!isTensor(y)) throw new TypeError(`${op}: f must return a scalar Tensor, got ${typeof y}`);
  return (y as Tensor).item();
}

/**
 * Checks `grad(f)(params)` against central finite differences (computed in float64 from the
 * values read back; use float64 parameters for tight tolerances). Costs 2 evaluations of f
 * per parameter entry, so keep problems small.
 */
export function checkGrad<P>(f: (params: P) => Tensor, params: P, options?: CheckOptions): CheckResult {
  const o = checkTolerances('checkGrad', f, options, 1e-6);
  // The result holds no tensors, so everything made here is freed on tfjs backends.
  return tidy(() => checkGradValues(f, params, o));
}

/**
 * Declared tolerances: eps > 0, rtol ≥ 0, atol ≥ 0 and not both zero. A negative or NaN
 * tolerance would pass every gradient (a typo must not make a gradient test vacuous).
 */
function checkTolerances(op: string, f: unknown, options: CheckOptions | undefined, eps: number): Required<CheckOptions> {
  checkArg(op, 'f', option.fn(), f);
  const o = checkOptions(op, options, { eps: option.number({ above: 0 }).default(eps), rtol: option.number({ min: 0 }).default(1e-5), atol: option.number({ min: 0 }).default(1e-8) });
  if (o.rtol === 0 && o.atol === 0) throw new RangeError(`${op}: rtol and atol are both 0, so only bit-exact agreement with finite differences passes; give one of them > 0`);
  return o;
}

function checkGradValues<P>(f: (params: P) => Tensor, params: P, options: Required<CheckOptions>): CheckResult {
  const { eps, rtol, atol } = options;
  const p = flat(params, 'params');
  const analytic = flat(gradAs('checkGrad', f)(params), 'params').leaves.map((g) => Float64Array.from(g.dataSync()));
  const numeric = p.leaves.map((x, l) => {
    const out = new Float64Array(x.size);
    for (let i = 0; i < x.size; i++) {
      const hi = tidy(() => scalarOf('checkGrad', f(perturbed(p, l, i, eps) as P)));
      const lo = tidy(() => scalarOf('checkGrad', f(perturbed(p, l, i, -eps) as P)));
      out[i] = (hi - lo) / (2 * eps);
    }
    return out;
  });
  return compareLeaves(p.paths, analytic, numeric, rtol, atol);
}

/**
 * Checks `hvp(f, params, v)` against central differences of the gradient along v:
 * (∇f(p + εv) − ∇f(p − εv)) / 2ε.
 */
export function checkHvp<P>(f: (params: P) => Tensor, params: P, v: P, options?: CheckOptions): CheckResult {
  const o = checkTolerances('checkHvp', f, options, 1e-5);
  return tidy(() => checkHvpValues(f, params, v, o));
}

function checkHvpValues<P>(f: (params: P) => Tensor, params: P, v: P, options: Required<CheckOptions>): CheckResult {
  const { eps, rtol, atol } = options;
  const p = flat(params, 'params');
  const dir = flat(v, 'v');
  const along = (s: number): P => {
    const moved = p.leaves.map((x, l) => {
      const a = x.dataSync();
      const d = dir.leaves[l]!.dataSync();
      const out = new Float64Array(x.size);
      for (let i = 0; i < x.size; i++) out[i] = a[i]! + s * d[i]!;
      return tensor(x.dtype === 'float64' ? out : Float32Array.from(out), { shape: x.shape, dtype: x.dtype, backend: x.backend });
    });
    return treeUnflatten(p.def, moved);
  };
  const read = (tree: unknown) => flat(tree, 'params').leaves.map((g) => Float64Array.from(g.dataSync()));
  const analytic = read(hvp(f, params, v));
  const hi = read(gradAs('checkHvp', f)(along(eps)));
  const lo = read(gradAs('checkHvp', f)(along(-eps)));
  const numeric = hi.map((h, l) => h.map((x, i) => (x - lo[l]![i]!) / (2 * eps)));
  return compareLeaves(p.paths, analytic, numeric, rtol, atol);
}
