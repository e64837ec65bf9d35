// The Lanczos process (Lanczos 1950; Golub & Van Loan §10.1) on a symmetric LinearOperator: an
// orthonormal Krylov basis V and the tridiagonal T = Vᵀ·A·V (diagonal alpha, off-diagonal beta).
// 'full' re-orthogonalises each new vector against the whole basis twice (Gram–Schmidt, "twice is
// enough"), so the basis stays orthonormal to rounding and, after `size` steps, T's eigenvalues
// are A's. A breakdown (the Krylov space is invariant) restarts from a seeded random vector
// orthogonal to the basis, with beta = 0 there.
import type { PyTree } from '@ddopt/tensor';
import { type OptionSpec, checkOptions, option } from '@ddopt/tensor/validate';
import { type FlatOperator, type LinearOperator, flatOperator } from './operator.js';
import { normalFlat, rademacherFlat, sampleKey } from './probes.js';
import { fromFlat, toFlat } from './space.js';
import { axpyInto, dot, norm, scale } from './vec.js';

/** @internal Lanczos on flat vectors. `onStep(j)` after step j (1-based; nextBeta = ‖residual‖) may stop it. */
export function lanczosFlat(
  a: FlatOperator,
  o: { iter: number; full: boolean; start: Float64Array; seed: number; onStep?: (alpha: readonly number[], beta: readonly number[], nextBeta: number) => boolean },
): { alpha: number[]; beta: number[]; basis: Float64Array[]; nextBeta: number } {
  const n = a.space.size;
  const alpha: number[] = [];
  const beta: number[] = [];
  const s0 = norm(o.start);
  if (!(s0 > 0) || !Number.isFinite(s0)) throw new RangeError(`lanczos: the start vector must be finite and non-zero (‖v0‖ = ${s0})`);
  const basis: Float64Array[] = [scale(o.start, 1 / s0)];
  let scaleSeen = 0;
  let nextBeta = 0;
  let restarts = 0;
  const orthogonalise = (w: Float64Array): void => {
    for (let pass = 0; pass < 2; pass++) for (const u of basis) axpyInto(w, -dot(w, u), u);
  };
  for (let j = 0; j < o.iter; j++) {
    const v = basis[j]!;
    const w = a.apply(v);
    const aj = dot(w, v);
    if (!Number.isFinite(aj)) throw new RangeError(`lanczos: ${a.name} returned a non-finite product at step ${j + 1} (vᵀAv = ${aj})`);
    alpha.push(aj);
    axpyInto(w, -aj, v);
    if (j > 0) axpyInto(w, -beta[j - 1]!, basis[j - 1]!);
    if (o.full) orthogonalise(w);
    nextBeta = norm(w);
    scaleSeen = Math.max(scaleSeen, Math.abs(aj), j > 0 ? beta[j - 1]! : 0);
    if (o.onStep?.(alpha, beta, nextBeta)) break;
    if (j === o.iter - 1) break;
    if (nextBeta <= 1e-10 * scaleSeen || nextBeta === 0) {
      // breakdown: the Krylov space of the start vector is invariant under A
      if (!o.full || basis.length >= n) break;
      const fresh = normalFlat(sampleKey(o.seed, ++restarts, 1), n);
      orthogonalise(fresh);
      beta.push(0);
      basis.push(scale(fresh, 1 / norm(fresh)));
      continue;
    }
    beta.push(nextBeta);
    basis.push(scale(w, 1 / nextBeta));
  }
  return { alpha, beta, basis, nextBeta };
}

/** Options of `lanczos`. */
export interface LanczosOptions<P = PyTree> {
  /** Steps (products), at most the operator's size. */
  iter: number;
  /** 'full' (default): re-orthogonalise against the whole basis; 'none': the three-term recurrence only. */
  reorthogonalize?: 'full' | 'none';
  /** Seed of the Rademacher start vector (and of restarts after a breakdown; default 0). */
  seed?: number;
  /** Start vector instead of a random one (normalised first). */
  v0?: P;
}

/** What `lanczos` returns: T = tridiag(beta, alpha, beta) and the basis V (T = Vᵀ·A·V). */
export interface LanczosResult<P = PyTree> {
  alpha: number[];
  /** Off-diagonal, one shorter than alpha; 0 where a breakdown restarted the process. */
  beta: number[];
  basis: P[];
  products: number;
}

const OPTIONS = {
  iter: option.int(1).required(),
  reorthogonalize: option.oneOf(['full', 'none'] as const).default('full'),
  seed: option.int(0).default(0),
  v0: option.any(),
} satisfies OptionSpec<LanczosOptions>;

/** @internal Throws unless iter ≤ size. */
export function checkIter(where: string, iter: number, size: number): void {
  if (iter > size) throw new RangeError(`${where}: iter ${iter} exceeds the dimension ${size} of the operator (a Krylov basis has at most ${size} vectors; iter = ${size} gives the exact eigenvalues)`);
}

/** k steps of Lanczos on a symmetric operator: the tridiagonal coefficients and the orthonormal basis. */
export function lanczos<P>(op: LinearOperator<P>, options: LanczosOptions<P>): LanczosResult<P> {
  const where = 'lanczos';
  const o = checkOptions(where, options as LanczosOptions, OPTIONS);
  const a = flatOperator(where, op);
  checkIter(where, o.iter, a.space.size);
  const start = o.v0 === undefined ? rademacherFlat(sampleKey(o.seed, 0), a.space.size) : toFlat(a.space, where, 'v0', o.v0);
  const r = lanczosFlat(a, { iter: o.iter, full: o.reorthogonalize === 'full', start, seed: o.seed });
  return { alpha: r.alpha, beta: r.beta, basis: r.basis.map((b) => fromFlat(a.space, b) as P), products: a.products };
}
