import { type DType, type Tensor, add, mul, prng, randn, splitKey, sum, tensor } from '@ddopt/tensor';
import { type CheckResult, checkGrad, compareLeaves } from '../check.js';
import { grad } from '../grad.js';
import { vhp } from '../hessian.js';
import { jvp } from '../jvp.js';
import { type GradCase, sampleInputs } from './cases.js';

/** Finite-difference steps and tolerances for one dtype. */
export interface CaseTolerance {
  /** Step for first derivatives of the loss. */
  eps1: number;
  /** Step for differences of gradients and JVPs (second order). */
  eps2: number;
  rtol: number;
  atol: number;
}

export const FLOAT64_TOLERANCE: CaseTolerance = { eps1: 1e-6, eps2: 1e-5, rtol: 1e-6, atol: 1e-7 };
export const FLOAT32_TOLERANCE: CaseTolerance = { eps1: 2e-3, eps2: 2e-3, rtol: 5e-2, atol: 5e-2 };

/** The five derivative checks of one case, each against central finite differences. */
export interface CaseReport {
  /** grad of the loss vs differences of the loss, entry by entry. */
  reverse: CheckResult;
  /** jvp of the case's function (the whole output tangent) vs differences of the function. */
  forward: CheckResult;
  /** jvp of grad (forward over reverse) vs differences of grad. */
  forwardOverReverse: CheckResult;
  /** grad of ⟨grad, v⟩ (reverse over reverse) vs differences of grad. */
  reverseOverReverse: CheckResult;
  /** grad of the jvp (reverse over forward) vs differences of grad. */
  reverseOverForward: CheckResult;
  /** jvp of the jvp (forward over forward, uᵀHv) vs differences of the jvp. */
  forwardOverForward: CheckResult;
}

function values(t: Tensor): Float64Array {
  return Float64Array.from(t.dataSync());
}

/** xs + s·vs, leaf by leaf, computed outside any transformation (plain values). */
function moved(xs: readonly Tensor[], s: number, vs: readonly Tensor[]): Tensor[] {
  return xs.map((x, i) => {
    const a = x.dataSync();
    const d = vs[i]!.dataSync();
    const out = new Float64Array(x.size);
    for (let k = 0; k < x.size; k++) out[k] = a[k]! + s * d[k]!;
    return tensor(x.dtype === 'float64' ? out : Float32Array.from(out), { shape: x.shape, dtype: x.dtype, backend: x.backend });
  });
}

/**
 * Runs every first- and second-order check of `c` at inputs drawn from `seed`. The loss is
 * L(xs) = Σ w ⊙ y + ½ Σ y ⊙ y with y = f(xs) and random w, so that second derivatives
 * exercise the rules of linear primitives too.
 */
export function checkCase(c: GradCase, seed: number, dtype: DType = 'float64', tolerance?: CaseTolerance): CaseReport {
  const tol = tolerance ?? (dtype === 'float64' ? (c.float64Tolerance ?? FLOAT64_TOLERANCE) : FLOAT32_TOLERANCE);
  const [kIn, kFn, kW, kV, kU] = splitKey(prng(seed), 5) as [ReturnType<typeof prng>, ReturnType<typeof prng>, ReturnType<typeof prng>, ReturnType<typeof prng>, ReturnType<typeof prng>];
  const f32 = dtype as 'float32' | 'float64';
  const xs = sampleInputs(c, kIn, dtype);
  const fn = c.make(kFn, dtype);
  const y0 = fn(...xs);
  const w = randn(kW, y0.shape, { dtype: f32 });
  const loss = (args: Tensor[]): Tensor => {
    const y = fn(...args);
    return add(sum(mul(w, y)), mul(sum(mul(y, y)), 0.5));
  };
  const direction = (key: ReturnType<typeof prng>) => splitKey(key, xs.length).map((k, i) => randn(k, xs[i]!.shape, { dtype: f32 }));
  const vs = direction(kV);
  const us = direction(kU);
  const { rtol, atol } = tol;
  const paths = xs.map((_, i) => `xs[${i}]`);
  const e2 = tol.eps2;

  const reverse = checkGrad(loss, xs, { eps: tol.eps1, rtol, atol });

  const yTangent = jvp(fn, xs, vs)[1];
  const yHi = values(fn(...moved(xs, tol.eps1, vs)));
  const yLo = values(fn(...moved(xs, -tol.eps1, vs)));
  const forward = compareLeaves(['y'], [values(yTangent)], [yHi.map((v, k) => (v - yLo[k]!) / (2 * tol.eps1))], rtol, atol);

  const gradHi = (grad(loss)(moved(xs, e2, vs)) as Tensor[]).map(values);
  const gradLo = (grad(loss)(moved(xs, -e2, vs)) as Tensor[]).map(values);
  const hvNumeric = gradHi.map((h, l) => h.map((v, k) => (v - gradLo[l]![k]!) / (2 * e2)));
  const check = (analytic: Tensor[]) => compareLeaves(paths, analytic.map(values), hvNumeric, rtol, atol);

  const forwardOverReverse = check(jvp((p: Tensor[]) => grad(loss)(p) as Tensor[], [xs], [vs])[1]);
  const reverseOverReverse = check(vhp(loss, xs, vs));
  const reverseOverForward = check(grad((p: Tensor[]) => jvp(loss, [p], [vs])[1])(xs) as Tensor[]);

  const dirDeriv = (p: Tensor[]) => jvp(loss, [p], [vs])[1];
  const uHv = jvp(dirDeriv, [xs], [us])[1];
  const fdUHv = (dirDeriv(moved(xs, e2, us)).item() - dirDeriv(moved(xs, -e2, us)).item()) / (2 * e2);
  const forwardOverForward = compareLeaves(['uᵀHv'], [values(uHv)], [Float64Array.of(fdUHv)], rtol, atol);

  return { reverse, forward, forwardOverReverse, reverseOverReverse, reverseOverForward, forwardOverForward };
}
