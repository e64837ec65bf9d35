// Lecture 001, "Safran & Shamir, Spurious local minima are common in two-layer ReLU neural
// networks": min over w₁, …, w_n ∈ R^k of E_x(Σᵢ(wᵢᵀx)₊ − Σⱼ(vⱼᵀx)₊)², x ~ N(0, I), v orthonormal.
// The lecture's two tables give, per (k, n), the share of gradient-descent runs that end in a
// spurious local minimum, the average smallest Hessian eigenvalue there and the average objective.
//
// Here every run is gradient descent on the exact objective (@ddopt/theory's closed form with its
// hand-derived gradient and Hessian, checked against autograd in theory's tests), from Xavier-uniform
// starts, with step 1/λ_max of the Hessian at the global minimum. A run that stalls above the
// threshold is finished by a convergence test: Newton steps from the stall point until ‖∇L‖ < 1e-10,
// then the smallest Hessian eigenvalue. It counts as a spurious local minimum when the objective is
// above THRESHOLD, the gradient vanishes and λ_min(∇²L) > 0.
import { eigh, eye, fromTypedArray, prng, solve, splitKey, uniform } from '@ddopt/tensor';
import { type ReluPopulationObjective, reluPopulationObjective } from '@ddopt/theory';
import { breathe, type Experiment, type ExperimentResult, type FigureSpec, type GridPoint, type JobConfig, type JobOutput, type JobRecord, type RunConfig } from '../contract.js';
import { runOnCpu } from '../on-cpu.js';
import { runSweepInline } from '../sweep.js';

/** The lecture's tables: k, n, % of runs converging to local minima, average λ_min, average objective. */
const PAPER: readonly (readonly [number, number, number, number, number])[] = [
  [6, 6, 0.3, 0.0047, 0.025],
  [7, 7, 5.5, 0.014, 0.023],
  [8, 8, 12.6, 0.021, 0.021],
  [9, 9, 21.8, 0.027, 0.02],
  [10, 10, 34.6, 0.03, 0.022],
  [11, 11, 45.5, 0.034, 0.022],
  [12, 12, 58.5, 0.035, 0.021],
  [13, 13, 73, 0.037, 0.022],
  [14, 14, 73.6, 0.038, 0.023],
  [15, 15, 80.3, 0.038, 0.024],
  [16, 16, 85.1, 0.038, 0.027],
  [17, 17, 89.7, 0.039, 0.027],
  [18, 18, 90, 0.039, 0.029],
  [19, 19, 93.4, 0.038, 0.031],
  [20, 20, 94, 0.038, 0.033],
  [8, 9, 0.1, 0.0059, 0.021],
  [10, 11, 0.1, 0.0057, 0.018],
  [11, 12, 0.1, 0.0056, 0.017],
  [12, 13, 0.3, 0.0054, 0.016],
  [13, 14, 1.5, 0.0015, 0.038],
  [14, 15, 5.5, 0.002, 0.033],
  [15, 16, 10.1, 0.004, 0.032],
  [16, 17, 18, 0.0055, 0.031],
  [17, 18, 20.9, 0.007, 0.031],
  [18, 19, 36.9, 0.0064, 0.028],
  [19, 20, 49.1, 0.0077, 0.027],
];

/** Objective above which a converged run is not the global minimum (which is 0). */
const THRESHOLD = 1e-3;
/** GD stops at this gradient norm (then the convergence test decides). */
const GD_TOL = 1e-4;
/** GD also stops once the objective is this small: deep in the global minimum's basin. */
const GLOBAL_TOL = THRESHOLD;
/** The convergence test's stationarity tolerance. */
const NEWTON_TOL = 1e-10;

type Outcome = 'global' | 'spurious' | 'unresolved';

interface RunResult {
  outcome: Outcome;
  loss: number;
  steps: number;
  /** λ_min(∇²L) at the end point (only computed above the threshold). */
  minEig: number | null;
  gradNorm: number;
  /** The end point, kept for spurious minima only (row-major [n, k]). */
  w: number[] | null;
}

function norm(g: Float64Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return Math.sqrt(s);
}

/** Newton's method from w (in place) until ‖∇L‖ < NEWTON_TOL or 8 steps; returns the final gradient norm. */
function newtonPolish(obj: ReluPopulationObjective, w: Float64Array, g: Float64Array): number {
  const size = w.length;
  let gn = norm(g);
  for (let it = 0; it < 8 && gn >= NEWTON_TOL; it++) {
    const H = fromTypedArray(obj.hessian(w), [size, size], 'float64', 'cpu');
    let step: Float64Array;
    try {
      step = solve(H, fromTypedArray(Float64Array.from(g), [size], 'float64', 'cpu')).dataSync() as Float64Array;
    } catch {
      break;
    }
    const trial = Float64Array.from(w, (x, i) => x - step[i]!);
    const gt = new Float64Array(size);
    obj.lossAndGrad(trial, gt);
    const gtn = norm(gt);
    if (!(gtn < gn)) break;
    w.set(trial);
    g.set(gt);
    gn = gtn;
  }
  return gn;
}

function oneRun(obj: ReluPopulationObjective, w: Float64Array, eta: number, maxSteps: number): RunResult {
  const g = new Float64Array(w.length);
  let loss = obj.lossAndGrad(w, g);
  let gn = norm(g);
  let steps = 0;
  let lr = eta;
  const next = new Float64Array(w.length);
  const gNext = new Float64Array(w.length);
  while (steps < maxSteps && gn >= GD_TOL && loss >= GLOBAL_TOL) {
    for (let i = 0; i < w.length; i++) next[i] = w[i]! - lr * g[i]!;
    const l2 = obj.lossAndGrad(next, gNext);
    // Monotone descent is what the descent lemma promises for a step below 2/M; if a far-out start
    // has larger curvature than the global minimum, halve the step rather than diverge.
    if (l2 > loss) {
      lr /= 2;
      continue;
    }
    w.set(next);
    g.set(gNext);
    loss = l2;
    gn = norm(g);
    steps++;
  }
  if (loss < THRESHOLD) return { outcome: 'global', loss, steps, minEig: null, gradNorm: gn, w: null };
  gn = newtonPolish(obj, w, g);
  loss = obj.loss(w);
  const minEig = obj.minEigenvalue(w);
  const outcome: Outcome = loss > THRESHOLD && gn < NEWTON_TOL && minEig > 0 ? 'spurious' : loss < THRESHOLD ? 'global' : 'unresolved';
  return { outcome, loss, steps, minEig, gradNorm: gn, w: outcome === 'spurious' ? [...w] : null };
}

interface Row {
  k: number;
  n: number;
  runs: number;
  spurious: RunResult[];
  unresolved: number;
  spuriousPercent: number;
  avgMinEig: number | null;
  avgLoss: number | null;
  medianSteps: number;
  paper: readonly [number, number, number, number, number] | undefined;
  results: RunResult[];
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)]!;
}

/** `runs` gradient-descent runs at (k, n) from Xavier-uniform starts drawn from `seed` (one sweep job). */
async function runChunk(k: number, n: number, runs: number, seed: number, maxSteps: number): Promise<RunResult[]> {
  const V = eye(k, k, 'float64');
  const obj = reluPopulationObjective(V, n);
  // Step 1/M with M the largest Hessian eigenvalue at a global minimum (W = V plus zero rows).
  const wStar = new Float64Array(n * k);
  for (let i = 0; i < k; i++) wStar[i * k + i] = 1;
  const lmax = eigh(fromTypedArray(obj.hessian(wStar), [n * k, n * k], 'float64', 'cpu')).values.dataSync()[n * k - 1]!;
  const eta = 1 / lmax;
  const bound = Math.sqrt(6 / (k + n));
  const keys = splitKey(prng(seed), runs);
  const results: RunResult[] = [];
  for (const key of keys) {
    const w = Float64Array.from(uniform(key, [n * k], { low: -bound, high: bound, dtype: 'float64' }).dataSync());
    results.push(oneRun(obj, w, eta, maxSteps));
    if (results.length % 10 === 0) await breathe();
  }
  return results;
}

/** One table row from all of its runs. */
function rowFrom(k: number, n: number, results: RunResult[]): Row {
  const runs = results.length;
  const spurious = results.filter((r) => r.outcome === 'spurious');
  const mean = (v: number[]) => (v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length);
  return {
    k,
    n,
    runs,
    spurious,
    unresolved: results.filter((r) => r.outcome === 'unresolved').length,
    spuriousPercent: (100 * spurious.length) / runs,
    avgMinEig: mean(spurious.map((r) => r.minEig!)),
    avgLoss: mean(spurious.map((r) => r.loss)),
    medianSteps: median(results.map((r) => r.steps)),
    paper: PAPER.find((p) => p[0] === k && p[1] === n),
    results,
  };
}

/** Runs per sweep job: each (k, n) row is split into jobs of this many runs, run in parallel by `ddopt reproduce --workers`. */
const CHUNK = 50;

/** The sweep's grid: every row of the mode's plan, in chunks of CHUNK runs. */
function grid(config: RunConfig): GridPoint[] {
  return plan(config.mode === 'full').flatMap((r) => Array.from({ length: Math.ceil(r.runs / CHUNK) }, (_, chunk) => ({ k: r.k, n: r.n, chunk, runs: Math.min(CHUNK, r.runs - chunk * CHUNK) })));
}

const maxStepsOf = (full: boolean) => (full ? 200_000 : 20_000);

/** One job: its chunk's runs, handed back as JSON (outcome, loss, steps, λ_min, ‖∇L‖, and the end point of spurious minima). */
async function job(config: JobConfig): Promise<JobOutput> {
  const { k, n, runs } = config.point as { k: number; n: number; runs: number };
  const results = await runOnCpu(() => runChunk(k, n, runs, config.seed, maxStepsOf(config.mode === 'full')));
  return { results: JSON.stringify(results) };
}

/** The (k, n) rows and runs per row for a mode. */
function plan(full: boolean): { k: number; n: number; runs: number }[] {
  if (full) return PAPER.map(([k, n]) => ({ k, n, runs: 1000 }));
  return [
    { k: 8, n: 8, runs: 100 },
    { k: 10, n: 10, runs: 200 },
    { k: 10, n: 11, runs: 200 },
  ];
}

/** Binomial standard error of a percentage. */
const binomialSe = (pct: number, runs: number) => 100 * Math.sqrt(((pct / 100) * (1 - pct / 100)) / runs);

/** The result from every job's runs, grouped back into the plan's rows. */
function summarize(jobs: JobRecord[], config: RunConfig): ExperimentResult {
  const full = config.mode === 'full';
  const rows = plan(full);
  const maxSteps = maxStepsOf(full);
  const done: Row[] = rows.map((r) =>
    rowFrom(
      r.k,
      r.n,
      jobs.filter((j) => j.point.k === r.k && j.point.n === r.n).flatMap((j) => JSON.parse(j.output.results as string) as RunResult[]),
    ),
  );

  const fmt = (v: number | null, digits = 4) => (v === null ? '—' : Number(v.toPrecision(digits)));
  const byKey = (k: number, n: number) => done.find((r) => r.k === k && r.n === n)!;
  const r10 = byKey(10, 10);
  const r11 = byKey(10, 11);
  const square = done.filter((r) => r.k === r.n);
  const over = done.filter((r) => r.n === r.k + 1);
  const allVerified = done.every((r) => r.spurious.every((s) => s.gradNorm < NEWTON_TOL && s.minEig! > 0 && s.loss > THRESHOLD));
  const overReduces = over.every((o) => {
    const sq = square.find((s) => s.k === o.k);
    return sq === undefined || o.spuriousPercent <= sq.spuriousPercent;
  });
  const withinPaper = done.filter((r) => r.paper).map((r) => ({ r, z: Math.abs(r.spuriousPercent - r.paper![2]) / Math.max(binomialSe(r.paper![2], r.runs), 100 / r.runs) }));
  const worstZ = Math.max(...withinPaper.map((w) => w.z));

  const rateFigure: FigureSpec = {
    id: 'safran-shamir-rate',
    title: 'Share of runs ending in a spurious local minimum, by (k, n)',
    caption: `Each point: ${full ? 1000 : '100–200'} gradient-descent runs from Xavier-uniform starts on the exact objective, each ended by the convergence test (Newton to ‖∇L‖ < 10⁻¹⁰, then λ_min(∇²L) > 0 and L > ${THRESHOLD}). Dashed: the lecture's tables. n = k + 1 (one extra neuron) removes most of them.`,
    x: { label: 'k (teacher neurons = input dimension)' },
    y: { label: '% of runs in a spurious local minimum' },
    series: [
      { name: 'this run, n = k', mark: 'line+dot', points: square.map((r) => ({ x: r.k, y: r.spuriousPercent })) },
      { name: 'this run, n = k + 1', mark: 'line+dot', points: over.map((r) => ({ x: r.k, y: r.spuriousPercent })) },
      { name: 'lecture table, n = k', mark: 'line', dashed: true, points: PAPER.filter((p) => p[0] === p[1] && (full || p[0] <= Math.max(...square.map((r) => r.k)))).map((p) => ({ x: p[0], y: p[2] })) },
      { name: 'lecture table, n = k + 1', mark: 'line', dashed: true, points: PAPER.filter((p) => p[1] === p[0] + 1 && (full || p[0] <= Math.max(...over.map((r) => r.k)))).map((p) => ({ x: p[0], y: p[2] })) },
    ],
  };
  const endFigure: FigureSpec = {
    id: 'safran-shamir-endpoints',
    title: `Where the ${r10.runs} runs at k = n = 10 end: objective against λ_min of the Hessian`,
    caption: 'Runs above the threshold, after the convergence test: every one has a positive-definite Hessian (a strict local minimum) and an objective far above the global value 0. The lecture averages these two coordinates per row.',
    x: { label: 'objective L at the end point' },
    y: { label: 'λ_min(∇²L)' },
    series: [
      { name: 'spurious minima, k = n = 10', mark: 'dot', points: r10.spurious.map((s) => ({ x: s.loss, y: s.minEig! })) },
      { name: 'spurious minima, k = 10, n = 11', mark: 'dot', points: r11.spurious.map((s) => ({ x: s.loss, y: s.minEig! })) },
      { name: 'lecture average, k = n = 10 (its objective and λ_min)', mark: 'dot', points: [{ x: 0.022, y: 0.03 }] },
    ],
  };
  const stepsFigure: FigureSpec = {
    id: 'safran-shamir-steps',
    title: 'Gradient-descent steps to the convergence test, per run (k = n = 10)',
    caption: `Runs reaching the global minimum stop at L < ${GLOBAL_TOL}; runs heading to a spurious minimum stop at ‖∇L‖ < ${GD_TOL} and are finished by Newton steps.`,
    x: { label: 'run' },
    y: { label: 'GD steps', type: 'log' },
    series: [
      { name: 'to the global minimum', mark: 'dot', points: r10.results.map((r, i) => ({ r, i })).filter(({ r }) => r.outcome === 'global').map(({ r, i }) => ({ x: i, y: Math.max(1, r.steps) })) },
      { name: 'to a spurious minimum', mark: 'dot', points: r10.results.map((r, i) => ({ r, i })).filter(({ r }) => r.outcome === 'spurious').map(({ r, i }) => ({ x: i, y: Math.max(1, r.steps) })) },
    ],
  };

  const verdictOk = allVerified && r10.spurious.length > 0 && overReduces;
  return {
    setup: {
      objective: 'E_x(Σᵢ(wᵢᵀx)₊ − Σⱼ(vⱼᵀx)₊)², x ~ N(0, I_k), v = e₁, …, e_k (exact closed form, float64)',
      'rows (k, n) × runs': rows.map((r) => `(${r.k}, ${r.n}) × ${r.runs}`).join(', '),
      initialisation: 'Xavier uniform, wᵢⱼ ~ U(±√(6/(k + n)))',
      'step size': '1/λ_max(∇²L) at the global minimum (halved if a step would increase L)',
      'GD stops at': `‖∇L‖ < ${GD_TOL}, L < ${GLOBAL_TOL} or ${maxSteps} steps`,
      'convergence test': `Newton to ‖∇L‖ < ${NEWTON_TOL}; spurious ⇔ L > ${THRESHOLD} and λ_min(∇²L) > 0`,
      scale: full ? 'every row of both tables, 1000 runs each (the paper: 1000)' : 'three rows, 100–200 runs each (the paper: every row of both tables, 1000 runs each)',
    },
    backendUsed: 'cpu float64, plain-number closed form (no tensors in the loop; eigh and solve of @ddopt/tensor for the test)',
    figures: [rateFigure, endFigure, stepsFigure],
    comparison: {
      headers: ['k', 'n', 'runs', '% spurious (this run)', '± binomial s.e.', '% (lecture)', 'avg λ_min (this run)', '½·avg λ_min', 'avg λ_min (lecture)', 'avg objective (this run)', '½·avg objective', 'avg objective (lecture)', 'unresolved runs', 'median GD steps'],
      rows: done.map((r) => [
        r.k,
        r.n,
        r.runs,
        Number(r.spuriousPercent.toFixed(1)),
        Number(binomialSe(r.spuriousPercent, r.runs).toFixed(1)),
        r.paper ? r.paper[2] : '—',
        fmt(r.avgMinEig),
        fmt(r.avgMinEig === null ? null : r.avgMinEig / 2),
        r.paper ? r.paper[3] : '—',
        fmt(r.avgLoss),
        fmt(r.avgLoss === null ? null : r.avgLoss / 2),
        r.paper ? r.paper[4] : '—',
        r.unresolved,
        r.medianSteps,
      ]),
    },
    verdict: verdictOk
      ? {
          status: 'matches',
          text: `spurious local minima exist and are common: ${r10.spuriousPercent.toFixed(1)}% of ${r10.runs} runs at k = n = 10 (lecture: 34.6%) end in one, each verified (‖∇L‖ < 10⁻¹⁰, λ_min > 0, L > ${THRESHOLD}); one extra neuron (n = 11) brings it to ${r11.spuriousPercent.toFixed(1)}% (lecture: 0.1%). Largest gap to the lecture's percentages: ${worstZ.toFixed(1)} binomial standard errors`,
        }
      : {
          status: 'differs',
          text: [!allVerified && 'some runs counted as spurious failed the convergence test', r10.spurious.length === 0 && `no spurious minimum in ${r10.runs} runs at k = n = 10`, !overReduces && 'n = k + 1 did not reduce the share of spurious minima'].filter(Boolean).join('; '),
        },
    headline: {
      spuriousPercent_k10_n10: r10.spuriousPercent,
      runs_k10_n10: r10.runs,
      spuriousPercent_k10_n11: r11.spuriousPercent,
      runs_k10_n11: r11.runs,
      avgMinEig_k10_n10: r10.avgMinEig ?? Number.NaN,
      avgObjective_k10_n10: r10.avgLoss ?? Number.NaN,
      allSpuriousVerified: allVerified,
      unresolvedRuns: done.reduce((s, r) => s + r.unresolved, 0),
      worstBinomialZ: worstZ,
      // One spurious end point, so that a reader (and the test) can check it with other tools.
      spuriousExample_k10_n10: r10.spurious.length > 0 ? JSON.stringify(r10.spurious[0]!.w) : '',
    },
    notes: [
      `Timing on the shared 2-core development machine under load: --quick 34.5 s for its 500 runs on one thread (69 ms per run at k = n = 10, measured), 11 s as ten jobs on \`--workers 2\` at a lighter load; --full (26 rows × 1000 runs) is about 1.9 h of one thread's work (measured 0.25 s per run at k = n = 14 and 0.68 s at k = n = 20, GD taking 1700–4500 steps; cost ∝ k·n·(k + n) over the rows), about 1 h on two workers, split into jobs of ${CHUNK} runs that \`ddopt reproduce --workers N\` runs in parallel (finished jobs are kept and skipped on a rerun).`,
      'The lecture states the objective without a factor ½, but its λ_min and objective columns match half of ours (the ½·avg columns), i.e. they are those of ½E(·)² — a factor 2 the slide does not mention. The percentages do not depend on the scale.',
      'The lecture does not say how its runs were started, how long they ran or how a local minimum was decided; this run uses Xavier-uniform starts, step 1/λ_max and a Newton finish, so the percentages are comparable only up to that protocol.',
      `"Unresolved" runs stopped above the threshold at a point that failed the test (a saddle or not yet converged within ${maxSteps} GD steps); they are counted in no column.`,
      full ? `Every row is a set of sweep jobs of ${CHUNK} runs, each with its own seed from the sweep's seed and its grid point; \`reproduce\` runs them over worker threads.` : `Quick mode runs three rows; --full runs every row of both tables with 1000 runs each, as sweep jobs of ${CHUNK} runs over worker threads.`,
    ],
  };
}

/** The lecture's two Safran–Shamir tables, by gradient descent on the exact population objective. */
export const safranShamir: Experiment = {
  id: 'safran-shamir',
  seed: '001 (lecture)',
  title: 'Spurious local minima are common in two-layer ReLU networks (Safran & Shamir)',
  reference: 'lecture 001, slide "I. Safran, O. Shamir, Spurious Local Minima are Common…", theorem and both tables',
  run: (config, progress) => runSweepInline(safranShamir, config, progress),
  sweep: { grid, job, summarize },
};
