import { type DType, type Key, type Tensor, add, mul, prng, randn, splitKey, stack, sum } from '@ddopt/tensor';
import { type CheckResult, compareLeaves } from '../check.js';
import { grad } from '../grad.js';
import { jvp } from '../jvp.js';
import { vmap } from '../vmap.js';
import { type GradCase, sampleInputs } from './cases.js';

/**
 * A column of the batching table: every input batched along axis 0, or along axis 1 (0 for a rank-0 input), or
 * `null`: each input in turn left unbatched (the same for every example) while the others are
 * batched along 0 — for a one-input case, the input unbatched and the output scaled by a
 * batched scalar, so that there is a batch.
 */
export type BatchColumn = 0 | 1 | null;

/** Tolerances of the batching checks: vmap against the loop over the batch, entry by entry. */
export interface BatchTolerance {
  rtol: number;
  atol: number;
}

export const FLOAT64_BATCH_TOLERANCE: BatchTolerance = { rtol: 1e-10, atol: 1e-12 };
export const FLOAT32_BATCH_TOLERANCE: BatchTolerance = { rtol: 1e-4, atol: 1e-5 };

/** The batching checks of one case and column, each against the same computation looped over the examples and stacked. */
export interface BatchReport {
  /** vmap(f) vs f of each example. */
  value: CheckResult;
  /** vmap(grad(L)) vs grad(L) of each example (per-example gradients of every input). */
  batchOverReverse: CheckResult;
  /** grad(Σ L ∘ vmap(f)) vs the per-example gradients stacked (batched inputs) or summed (unbatched ones). */
  reverseOverBatch: CheckResult;
  /** vmap(jvp(f)) vs jvp(f) of each example along its own direction. */
  batchOverForward: CheckResult;
  /** jvp(vmap(f)) vs the same. */
  forwardOverBatch: CheckResult;
  /** vmap(vmap(f)) over a batch of batches vs the double loop (columns 0 and 1). */
  nested?: CheckResult;
}

const BATCH = 3;
const OUTER = 2;

function values(t: Tensor): Float64Array {
  return Float64Array.from(t.dataSync());
}

/** One configuration: the function, its per-input axes, and whether an extra batched scalar was added. */
interface Setup {
  fn: (...xs: Tensor[]) => Tensor;
  axes: (number | null)[];
  specs: GradCase['inputs'];
}

function setups(c: GradCase, column: BatchColumn, base: (...xs: Tensor[]) => Tensor): Setup[] {
  const n = c.inputs.length;
  // A rank-0 input has no axis 1: column 1 batches it along 0.
  if (column !== null) return [{ fn: base, axes: c.inputs.map((s) => Math.min(column, s.shape.length)), specs: c.inputs }];
  if (n > 1) return c.inputs.map((_, i) => ({ fn: base, axes: c.inputs.map((_, k) => (k === i ? null : 0)), specs: c.inputs }));
  return [{ fn: (x, s) => mul(base(x!), s!), axes: [null, 0], specs: [...c.inputs, { shape: [], domain: 'positive' }] }];
}

/**
 * Runs the batching checks of `c` in `column` at inputs drawn from `seed`: `vmap` of the case's
 * function, of its loss's gradient and of its JVP, `grad` and `jvp` of its vmap, and (columns 0
 * and 1) `vmap` of `vmap`, each equal to the loop over the batch. The loss is the one of
 * `checkCase`: Σ w ⊙ y + ½ Σ y ⊙ y.
 */
export function checkBatching(c: GradCase, seed: number, column: BatchColumn, dtype: DType = 'float64', tolerance?: BatchTolerance): BatchReport[] {
  // A case that rounds through float32 sums its batch before or after the rounding: its own float64 tolerance.
  const own = c.float64Tolerance && { rtol: c.float64Tolerance.rtol, atol: c.float64Tolerance.atol };
  const tol = tolerance ?? (dtype === 'float64' ? (own ?? FLOAT64_BATCH_TOLERANCE) : FLOAT32_BATCH_TOLERANCE);
  const [kFn, kIn, kW, kV] = splitKey(prng(seed), 4) as [Key, Key, Key, Key];
  const base = c.make(kFn, dtype);
  return setups(c, column, base).map((s) => runSetup(c, s, kIn, kW, kV, dtype, tol, column));
}

function runSetup(c: GradCase, { fn, axes, specs }: Setup, kIn: Key, kW: Key, kV: Key, dtype: DType, tol: BatchTolerance, column: BatchColumn): BatchReport {
  const f32 = dtype as 'float32' | 'float64';
  const draw = (key: Key, count: number): Tensor[][] => splitKey(key, count).map((k) => sampleInputs({ ...c, inputs: specs }, k, dtype));
  // examples[b][i]: input i of example b (unbatched inputs shared by every example).
  const drawn = draw(kIn, BATCH);
  const examples = drawn.map((xs) => xs.map((x, i) => (axes[i] === null ? drawn[0]![i]! : x)));
  const batched = axes.map((a, i) => (a === null ? examples[0]![i]! : stack(examples.map((xs) => xs[i]!), a)));
  const dirsDrawn = splitKey(kV, BATCH).map((k) => splitKey(k, specs.length).map((kk, i) => randn(kk, specs[i]!.shape, { dtype: f32 })));
  const dirs = dirsDrawn.map((ts) => ts.map((t, i) => (axes[i] === null ? dirsDrawn[0]![i]! : t)));
  const dirsBatched = axes.map((a, i) => (a === null ? dirs[0]![i]! : stack(dirs.map((ts) => ts[i]!), a)));

  const y0 = fn(...examples[0]!);
  const w = randn(kW, y0.shape, { dtype: f32 });
  const loss = (...xs: Tensor[]) => {
    const y = fn(...xs);
    return add(sum(mul(w, y)), mul(sum(mul(y, y)), 0.5));
  };
  const all = specs.map((_, i) => i);
  const cmp = (name: string, analytic: Tensor[], reference: Tensor[]) =>
    compareLeaves(
      analytic.map((_, i) => `${name}[${i}]`),
      analytic.map(values),
      reference.map(values),
      tol.rtol,
      tol.atol,
    );

  const loopY = stack(examples.map((xs) => fn(...xs)));
  const value = cmp('y', [vmap(fn, { inAxes: axes })(...batched) as Tensor], [loopY]);

  const loopGrads = examples.map((xs) => grad(loss, { argnums: all })(...xs) as Tensor[]);
  const perInput = all.map((i) => stack(loopGrads.map((g) => g[i]!)));
  const batchOverReverse = cmp('grad', vmap(grad(loss, { argnums: all }), { inAxes: axes })(...batched) as Tensor[], perInput);

  const total = (...xs: Tensor[]) => {
    const y = vmap(fn, { inAxes: axes })(...xs) as Tensor;
    return add(sum(mul(y, w)), mul(sum(mul(y, y)), 0.5));
  };
  const summedOrStacked = all.map((i) => (axes[i] === null ? loopGrads.map((g) => g[i]!).reduce((a, b) => add(a, b)) : stack(loopGrads.map((g) => g[i]!), axes[i]!)));
  const reverseOverBatch = cmp('grad', grad(total, { argnums: all })(...batched) as Tensor[], summedOrStacked);

  const loopT = stack(examples.map((xs, b) => jvp(fn, xs, dirs[b]!)[1]));
  const batchOverForward = cmp('t', [vmap((xs: Tensor[], ts: Tensor[]) => jvp(fn, xs, ts)[1], { inAxes: [axes, axes] })(batched, dirsBatched) as Tensor], [loopT]);
  const forwardOverBatch = cmp('t', [jvp(vmap(fn, { inAxes: axes }), batched, dirsBatched)[1]], [loopT]);

  const report: BatchReport = { value, batchOverReverse, reverseOverBatch, batchOverForward, forwardOverBatch };
  if (column !== null) {
    // A batch of OUTER batches, the outer axis also at each input's axis: [..., OUTER, BATCH, ...].
    const outerDrawn = splitKey(kV, OUTER).map((k) => draw(k, BATCH));
    const inner = outerDrawn.map((exs) => specs.map((_, i) => stack(exs.map((xs) => xs[i]!), axes[i]!)));
    const outer = specs.map((_, i) => stack(inner.map((xs) => xs[i]!), axes[i]!));
    const got = vmap(vmap(fn, { inAxes: axes }), { inAxes: axes })(...outer) as Tensor;
    const want = stack(outerDrawn.map((exs) => stack(exs.map((xs) => fn(...xs)))));
    report.nested = cmp('y', [got], [want]);
  }
  return report;
}
