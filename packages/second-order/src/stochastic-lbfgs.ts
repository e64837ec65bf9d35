// Stochastic L-BFGS (Byrd, Hansen, Nocedal & Singer 2016, "SQN") and SQGN (Thiele, Araya-Polo &
// Hohl 2020): gradient steps x ← x − α·H·v through the L-BFGS two-loop recursion, where the
// curvature pairs are not gradient differences (eq. 17, noisy) but, every L steps, the difference
// of averaged iterates s = x̄ₜ − x̄ₜ₋₁ and a curvature product at x̄ₜ, y = ∇²F_S(x̄ₜ)·s (eq. 18);
// SQGN takes y = G(x̄ₜ)·s with the Gauss-Newton matrix (eq. 12) and an SVRG-style gradient
// v = ∇f_S(x) − ∇f_S(x̃) + ∇F(x̃) around a snapshot x̃ refreshed every `snapshotEvery` steps
// (as Moritz, Nishihara & Jordan 2016 combine SVRG with these pairs).
import { type PyTree, type Tensor, tensor } from '@ddopt/tensor';
import { type ScalarOrSchedule, valueAt } from '@ddopt/optimizers';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { assertSplit, ggnOperator } from './ggn.js';
import { hessianOperator } from './hessian-operator.js';
import { Evaluator, type SecondOrderMethod, stepArgs, tidyStep } from './method.js';
import { fromFlat, toFlat } from './space.js';
import { allFinite, axpy, axpyInto, dot, norm, scale, sub } from './vec.js';

/** Options of `stochasticLbfgs`. */
export interface StochasticLbfgsOptions {
  /** Step length α, a number or a schedule of the step (Byrd et al. use β/k); required. */
  lr: ScalarOrSchedule;
  /** Curvature pairs kept, M (default 10). */
  memory?: number;
  /** L: a pair from the averaged iterates every L steps (default 10). */
  updateEvery?: number;
  /** The loss of the curvature subsample S_H for correction t (default: the step's own loss). */
  curvatureLoss?: (correction: number) => (params: any) => Tensor;
}

/** Options of `sqgn`: those of `stochasticLbfgs`, with the curvature loss a `splitLoss`, and the variance reduction. */
export interface SqgnOptions extends StochasticLbfgsOptions {
  /** The full-data loss F for the SVRG snapshots; without it there is no variance reduction. */
  fullLoss?: (params: any) => Tensor;
  /** Steps between snapshots x̃ (default 50). */
  snapshotEvery?: number;
}

/** State of `stochasticLbfgs` and `sqgn` (1-D float64 cpu tensors and numbers). */
export interface StochasticLbfgsState {
  count: number;
  corrections: number;
  /** Σ of the iterates since the last correction. */
  sum: Tensor | null;
  previousAverage: Tensor | null;
  pairs: { s: Tensor; y: Tensor }[];
  /** The SVRG snapshot x̃ and ∇F(x̃) (sqgn with fullLoss). */
  snapshot: { params: Tensor; fullGrad: Tensor } | null;
}

const vec = (x: Float64Array): Tensor => tensor(Float64Array.from(x), { dtype: 'float64', backend: 'cpu' });
const read = (t: Tensor): Float64Array => Float64Array.from(t.dataSync());

/** @internal The L-BFGS two-loop recursion H·g with H₀ = (sᵀy / yᵀy)·I from the newest pair (Nocedal & Wright, alg. 7.4). */
export function twoLoop(g: Float64Array, pairs: readonly { s: Float64Array; y: Float64Array }[]): Float64Array {
  const m = pairs.length;
  if (m === 0) return Float64Array.from(g);
  const q = Float64Array.from(g);
  const a = new Array<number>(m);
  const rho = pairs.map((p) => 1 / dot(p.s, p.y));
  for (let i = m - 1; i >= 0; i--) {
    a[i] = rho[i]! * dot(pairs[i]!.s, q);
    axpyInto(q, -a[i]!, pairs[i]!.y);
  }
  const last = pairs[m - 1]!;
  const r = scale(q, dot(last.s, last.y) / dot(last.y, last.y));
  for (let i = 0; i < m; i++) {
    const b = rho[i]! * dot(pairs[i]!.y, r);
    axpyInto(r, a[i]! - b, pairs[i]!.s);
  }
  return r;
}

const BASE = {
  lr: option.anyOf(option.number({ min: 0 }), option.fn<(count: number) => number>()).required(),
  memory: option.int(1).default(10),
  updateEvery: option.int(1).default(10),
  curvatureLoss: option.fn<(correction: number) => (params: any) => Tensor>(),
};
const SQGN = { ...BASE, fullLoss: option.fn<(params: any) => Tensor>(), snapshotEvery: option.int(1).default(50) };

type Product = (f: (p: any) => Tensor, at: PyTree, s: PyTree) => PyTree;

function stochastic(where: string, o: { lr: unknown; memory: number; updateEvery: number; curvatureLoss?: (t: number) => (p: any) => Tensor; fullLoss?: (p: any) => Tensor; snapshotEvery?: number }, product: Product): SecondOrderMethod<StochasticLbfgsState> {
  const lr = o.lr as ScalarOrSchedule;
  return tidyStep<StochasticLbfgsState>({
    name: where,
    init: (params) => {
      stepArgs(where, () => undefined, params, {});
      return { count: 0, corrections: 0, sum: null, previousAverage: null, pairs: [], snapshot: null };
    },
    step(f, params, state) {
      const space = stepArgs(where, f, params, state);
      const ev = new Evaluator(where, f, space);
      const x = toFlat(space, where, 'params', params);
      const [loss, g] = ev.valueAndGrad(x);
      let v = g;
      let snapshot = state.snapshot;
      if (o.fullLoss) {
        if (snapshot === null || state.count % o.snapshotEvery! === 0) {
          // at the snapshot itself v = ∇f_S(x̃) − ∇f_S(x̃) + ∇F(x̃) = ∇F(x̃)
          const full = new Evaluator(where, o.fullLoss, space);
          v = full.valueAndGrad(x)[1];
          snapshot = { params: vec(x), fullGrad: vec(v) };
          ev.cost.gradients++;
        } else {
          const gSnap = ev.valueAndGrad(read(snapshot.params))[1];
          v = axpy(sub(g, gSnap), 1, read(snapshot.fullGrad));
        }
      }
      const pairs = state.pairs.map((p) => ({ s: read(p.s), y: read(p.y) }));
      const direction = twoLoop(v, pairs);
      const next = axpy(x, -valueAt(lr, state.count), direction);
      if (!allFinite(next)) throw new RangeError(`${where}: the step ${state.count} left the params non-finite; lower lr`);
      const k = state.count + 1;
      const sum = state.sum ? axpy(read(state.sum), 1, next) : Float64Array.from(next);
      let out: Omit<StochasticLbfgsState, 'count' | 'snapshot'> = { corrections: state.corrections, sum: vec(sum), previousAverage: state.previousAverage, pairs: state.pairs };
      if (k % o.updateEvery === 0) {
        const average = scale(sum, 1 / o.updateEvery);
        const t = state.corrections;
        let kept = state.pairs;
        if (state.previousAverage) {
          const s = sub(average, read(state.previousAverage));
          const fh = o.curvatureLoss ? o.curvatureLoss(t) : f;
          const at = fromFlat(space, average);
          const y = toFlat(space, where, 'the curvature product', product(fh, at, fromFlat(space, s)));
          ev.cost.products++;
          const sy = dot(s, y);
          if (!allFinite(y) || !Number.isFinite(sy)) throw new RangeError(`${where}: the curvature pair of correction ${t} is not finite (sᵀy = ${sy}); the loss or its curvature product overflowed at the averaged iterate`);
          // a pair without positive curvature along s would break H's positive definiteness: skip it
          if (sy > 1e-8 * norm(s) * norm(y)) kept = [...state.pairs, { s: vec(s), y: vec(y) }].slice(-o.memory);
        }
        out = { corrections: t + 1, sum: null, previousAverage: vec(average), pairs: kept };
      }
      return { params: fromFlat(space, next), state: { count: k, snapshot, ...out }, loss, cost: ev.cost };
    },
  });
}

/** Stochastic L-BFGS of Byrd et al. (2016): curvature pairs from subsampled Hessian-vector products at averaged iterates (the report's eq. 18). */
export function stochasticLbfgs(options: StochasticLbfgsOptions): SecondOrderMethod<StochasticLbfgsState> {
  const o = checkOptions('stochasticLbfgs', options, BASE);
  return stochastic('stochasticLbfgs', o, (f, at, s) => hessianOperator(f, at).apply(s));
}

/**
 * SQGN (Thiele et al. 2020): stochastic L-BFGS whose pairs use Gauss-Newton products y = G·s (so
 * sᵀy ≥ 0 always) and, with `fullLoss`, SVRG-style variance-reduced gradients. The step's loss and
 * `curvatureLoss` must be `splitLoss(net, loss)`.
 */
export function sqgn(options: SqgnOptions): SecondOrderMethod<StochasticLbfgsState> {
  const o = checkOptions('sqgn', options, SQGN);
  return stochastic('sqgn', o, (f, at, s) => {
    assertSplit('sqgn', f);
    return ggnOperator(f.net, f.loss, at).apply(s);
  });
}
