// Survey 000, §4.3 (Soltanolkotabi, Javanmard & Lee 2017): for f(x; W) = Σⱼaⱼ(wⱼᵀx)² and the loss
// ½Σᵢ(f(xᵢ) − yᵢ)² (eqs. 14, 20), if kd ≥ n then every second-order stationary point (∇L = 0,
// ∇²L ⪰ 0, eq. 21) is a global minimum. Here, on planted data (a teacher of the same width, so the
// global minimum is 0 for every n), perturbed GD (Jin et al., @ddopt/optimizers' perturbedGd) runs
// from small random starts over a grid of (k, n); a run succeeds when it reaches L ≈ 0 and fails at a
// second-order stationary point with L > 0 (a spurious SOSP, checked with autograd's Hessian of
// @ddopt/theory's quadraticNetLoss). The phase plot shows the success rate against kd/n.
// The survey's kd ≥ n is its paraphrase: Soltanolkotabi et al.'s theorem (their Thm 2.1) assumes
// instead at least d positive and at least d negative output weights aⱼ (so k ≥ 2d), for any data.
// The grid of kd ≥ n cells with k < 2d tests the paraphrase; one extra row k = 2d (its own keys, so
// the other cells are unchanged) tests the theorem's own hypothesis.
import { grad, hessian } from '@ddopt/autograd';
import { applyUpdates, perturbedGd } from '@ddopt/optimizers';
import { eigh, fromTypedArray, type Key, mul, prng, randn, reshape, splitKey, type Tensor } from '@ddopt/tensor';
import { quadraticNetLoss } from '@ddopt/theory';
import { breathe, type Experiment, type ExperimentResult, type FigureSpec, type Progress, type RunConfig } from '../contract.js';
import { runOnCpu } from '../on-cpu.js';

/** L = ½Σᵢrᵢ², rᵢ = Σⱼaⱼ(wⱼᵀxᵢ)² − yᵢ, and ∂L/∂wⱼ = Σᵢ 2aⱼrᵢ(wⱼᵀxᵢ)xᵢ, on row-major arrays. */
function lossAndGrad(w: Float64Array, a: Float64Array, x: Float64Array, y: Float64Array, k: number, d: number, n: number, g: Float64Array): number {
  g.fill(0);
  let loss = 0;
  const z = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += w[j * d + c]! * x[i * d + c]!;
      z[j] = s;
      f += a[j]! * s * s;
    }
    const r = f - y[i]!;
    loss += 0.5 * r * r;
    for (let j = 0; j < k; j++) {
      const coef = 2 * a[j]! * r * z[j]!;
      for (let c = 0; c < d; c++) g[j * d + c]! += coef * x[i * d + c]!;
    }
  }
  return loss;
}

interface Problem {
  k: number;
  d: number;
  n: number;
  a: Float64Array;
  x: Float64Array;
  y: Float64Array;
  scale: number;
  /** 1/λ_max of ∇²L at the teacher (a global minimum): the step size. */
  lr: number;
}

function problem(k: number, d: number, n: number, key: Key): Problem {
  const [kx, kw] = splitKey(key, 2);
  const a = Float64Array.from({ length: k }, (_, j) => (j % 2 === 0 ? 1 : -1));
  const x = Float64Array.from(randn(kx!, [n, d], { dtype: 'float64' }).dataSync());
  const wStar = Float64Array.from(randn(kw!, [k, d], { dtype: 'float64' }).dataSync(), (v) => v / Math.sqrt(d));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += wStar[j * d + c]! * x[i * d + c]!;
      y[i]! += a[j]! * s * s;
    }
  }
  const scale = y.reduce((s, v) => s + v * v, 0);
  const tensors = { a: fromTypedArray(a, [k], 'float64', 'cpu'), x: fromTypedArray(x, [n, d], 'float64', 'cpu'), y: fromTypedArray(y, [n], 'float64', 'cpu') };
  const H = hessian((v: Tensor) => quadraticNetLoss(reshape(v, [k, d]), tensors.a, tensors.x, tensors.y))(fromTypedArray(wStar, [k * d], 'float64', 'cpu'));
  const eig = eigh(H).values.dataSync();
  return { k, d, n, a, x, y, scale, lr: 1 / eig[eig.length - 1]! };
}

type Outcome = 'global' | 'spurious SOSP' | 'not converged';

interface RunOut {
  outcome: Outcome;
  relLoss: number;
  gradNorm: number;
  minEig: number;
  /** The second-smallest Hessian eigenvalue (a = ±1 leaves hyperbolic rotations of W as exact flat directions). */
  secondEig: number;
  /** ‖y‖², the scale the thresholds are relative to. */
  scale: number;
}

/** Soltanolkotabi et al.'s hypothesis on the output weights: at least d positive and at least d negative. */
function meetsSignCondition(a: Float64Array, d: number): boolean {
  let pos = 0;
  let neg = 0;
  for (const v of a) {
    if (v > 0) pos++;
    else if (v < 0) neg++;
  }
  return pos >= d && neg >= d;
}

/** Runs stop at L/‖y‖² < STOP_TOL; a run ending below GLOBAL_TOL is at the global minimum 0 (the spurious points found sit near 0.1). */
const STOP_TOL = 1e-10;
const GLOBAL_TOL = 1e-4;

function runOne(p: Problem, steps: number, key: Key): RunOut {
  const { k, d, n, a, x, y, scale, lr } = p;
  const [k0, kp] = splitKey(key, 2);
  const size = k * d;
  const opt = perturbedGd({ lr, gThres: 1e-6 * Math.sqrt(scale), radius: 1e-3, tThres: 50, key: kp! });
  let W = mul(randn(k0!, [size], { dtype: 'float64' }), 0.3 / Math.sqrt(d));
  let state = opt.init(W);
  const g = new Float64Array(size);
  let loss = 0;
  for (let t = 0; t < steps; t++) {
    loss = lossAndGrad(W.dataSync() as Float64Array, a, x, y, k, d, n, g);
    if (loss / scale < STOP_TOL) break;
    const { updates, state: next } = opt.update(fromTypedArray(Float64Array.from(g), [size], 'float64', 'cpu'), state, W);
    W = applyUpdates(W, updates);
    state = next;
  }
  const w = Float64Array.from(W.dataSync());
  loss = lossAndGrad(w, a, x, y, k, d, n, g);
  const gradNorm = Math.hypot(...g);
  if (loss / scale < GLOBAL_TOL) return { outcome: 'global', relLoss: loss / scale, gradNorm, minEig: 0, secondEig: 0, scale };
  const aT = fromTypedArray(a, [k], 'float64', 'cpu');
  const xT = fromTypedArray(x, [n, d], 'float64', 'cpu');
  const yT = fromTypedArray(y, [n], 'float64', 'cpu');
  const H = hessian((v: Tensor) => quadraticNetLoss(reshape(v, [k, d]), aT, xT, yT))(fromTypedArray(w, [size], 'float64', 'cpu'));
  const eig = eigh(H).values.dataSync();
  const minEig = eig[0]!;
  const sosp = gradNorm < 1e-5 * Math.sqrt(scale) && minEig > -1e-6 * scale;
  return { outcome: sosp ? 'spurious SOSP' : 'not converged', relLoss: loss / scale, gradNorm, minEig, secondEig: eig[1] ?? Number.NaN, scale };
}

async function run(config: RunConfig, progress: Progress): Promise<ExperimentResult> {
  const full = config.mode === 'full';
  const d = full ? 6 : 4;
  const ks = full ? [1, 2, 3, 4, 6, 8] : [1, 2, 3, 4];
  const ns = full ? [6, 12, 18, 24, 36, 48, 72] : [4, 8, 12, 16, 24];
  const runs = full ? 20 : 6;
  const steps = full ? 20_000 : 4000;
  // The row k = 2d meets the theorem's sign condition (aⱼ alternate: d of each sign).
  const kTheorem = 2 * d;
  progress.start((ks.length + 1) * ns.length * runs, `perturbed GD on quadratic nets, d = ${d}, ${ks.length + 1}×${ns.length} (k, n)`);
  const gridKeys = splitKey(prng(config.seed), ks.length * ns.length);
  const theoremKeys = splitKey(prng(config.seed + 2), ns.length);
  const rows = [...ks.map((k, i) => ({ k, keys: gridKeys.slice(i * ns.length, (i + 1) * ns.length) })), { k: kTheorem, keys: theoremKeys }];

  // The plain-number gradient the loop uses against autograd's of the theory closed form.
  const check = problem(3, d, 7, prng(config.seed + 1));
  const wc = Float64Array.from({ length: 3 * d }, (_, i) => Math.sin(i + 1));
  const gc = new Float64Array(3 * d);
  lossAndGrad(wc, check.a, check.x, check.y, 3, d, 7, gc);
  const ga = grad((v: Tensor) => quadraticNetLoss(v, fromTypedArray(check.a, [3], 'float64', 'cpu'), fromTypedArray(check.x, [7, d], 'float64', 'cpu'), fromTypedArray(check.y, [7], 'float64', 'cpu')))(fromTypedArray(wc, [3, d], 'float64', 'cpu')).dataSync();
  const gradientCheck = Math.max(...Array.from(gc, (v, i) => Math.abs(v - ga[i]!))) / Math.max(...Array.from(gc, Math.abs));

  const cells: { k: number; n: number; ratio: number; signCondition: boolean; success: number; spurious: number; unconverged: number; worstSpurious: number | null }[] = [];
  const spuriousOverRuns: (RunOut & { k: number; n: number })[] = [];
  for (const { k, keys: rowKeys } of rows) {
    for (const [ni, n] of ns.entries()) {
      const keys = splitKey(rowKeys[ni]!, runs + 1);
      const p = problem(k, d, n, keys[0]!);
      const outs: RunOut[] = [];
      for (let r = 0; r < runs; r++) {
        outs.push(runOne(p, steps, keys[r + 1]!));
        progress.tick();
      }
      const sp = outs.filter((o) => o.outcome === 'spurious SOSP');
      if (k * d >= n) spuriousOverRuns.push(...sp.map((o) => ({ ...o, k, n })));
      cells.push({
        k,
        n,
        ratio: (k * d) / n,
        signCondition: meetsSignCondition(p.a, d),
        success: outs.filter((o) => o.outcome === 'global').length / runs,
        spurious: sp.length,
        unconverged: outs.filter((o) => o.outcome === 'not converged').length,
        worstSpurious: sp.length ? Math.max(...sp.map((o) => o.relLoss)) : null,
      });
      await breathe();
    }
  }
  const over = cells.filter((c) => c.ratio >= 1);
  const under = cells.filter((c) => c.ratio < 1);
  const spuriousOver = over.reduce((s, c) => s + c.spurious, 0);
  const spuriousUnder = under.reduce((s, c) => s + c.spurious, 0);
  const rate = (cs: typeof cells) => cs.reduce((s, c) => s + c.success, 0) / Math.max(1, cs.length);
  const theorem = cells.filter((c) => c.signCondition);
  const spuriousTheorem = theorem.reduce((s, c) => s + c.spurious, 0);
  const fmt = (v: number) => v.toExponential(1);
  const spuriousList = spuriousOverRuns
    .map((o) => `(k, n) = (${o.k}, ${o.n}): L/‖y‖² = ${o.relLoss.toPrecision(3)}, ‖∇L‖/‖y‖ = ${fmt(o.gradNorm / Math.sqrt(o.scale))}, λ_min/‖y‖² = ${fmt(o.minEig / o.scale)}, next eigenvalue/‖y‖² = ${fmt(o.secondEig / o.scale)}`)
    .join('; ');
  const theoremText = `${spuriousTheorem} of ${theorem.length * runs} runs in the row k = 2d = ${kTheorem} (d positive and d negative aⱼ, the hypothesis of Soltanolkotabi et al.'s theorem) ended at a spurious SOSP (success ${(100 * rate(theorem)).toFixed(0)}%)`;

  const phase: FigureSpec = {
    id: 'quadratic-phase',
    title: `Success rate of perturbed GD over (k, n), d = ${d}: reaching L = 0 on planted data`,
    caption: `Each point: ${runs} runs from small random starts (${steps} steps at most). The survey's condition kd ≥ n is the vertical rule at kd/n = 1.`,
    x: { label: 'kd / n', type: 'log' },
    y: { label: 'share of runs reaching the global minimum', domain: [0, 1] },
    series: rows.map(({ k }) => ({ name: k === kTheorem ? `k = ${k} (= 2d)` : `k = ${k}`, mark: 'line+dot' as const, points: cells.filter((c) => c.k === k).map((c) => ({ x: c.ratio, y: c.success })) })),
    rulesX: [{ value: 1, label: 'kd = n' }],
  };
  const spur: FigureSpec = {
    id: 'quadratic-spurious',
    title: 'Runs ending at a spurious second-order stationary point (L > 0, ∇L ≈ 0, ∇²L ⪰ 0)',
    caption: 'Counted per (k, n) cell; the survey\'s statement says there are none when kd ≥ n.',
    x: { label: 'kd / n', type: 'log' },
    y: { label: 'spurious SOSPs (of the runs)' },
    series: [
      { name: 'kd ≥ n', mark: 'dot', points: over.map((c) => ({ x: c.ratio, y: c.spurious })) },
      { name: 'kd < n', mark: 'dot', points: under.map((c) => ({ x: c.ratio, y: c.spurious })) },
    ],
    rulesX: [{ value: 1, label: 'kd = n' }],
  };
  return {
    setup: {
      model: 'f(x; W) = Σⱼaⱼ(wⱼᵀx)², aⱼ = ±1 alternating (fixed), loss ½Σᵢ(f(xᵢ) − yᵢ)²',
      data: `xᵢ ~ N(0, I_${d}), yᵢ from a teacher of the same width with W* ~ N(0, 1/d)`,
      grid: `k ∈ {${ks.join(', ')}} and k = 2d = ${kTheorem} (separate keys) × n ∈ {${ns.join(', ')}}, ${runs} runs each`,
      'sign condition': 'Soltanolkotabi et al. assume at least d positive and at least d negative aⱼ; only the row k = 2d meets it, every other kd ≥ n cell tests the survey\'s kd ≥ n alone',
      optimizer: `perturbedGd of @ddopt/optimizers (step 1/λ_max(∇²L(W*)), radius 10⁻³, t_thres 50), ${steps} steps at most, W₀ ~ N(0, 0.09/d)`,
      'global / spurious': `at the end L/‖y‖² < ${GLOBAL_TOL} / L/‖y‖² ≥ ${GLOBAL_TOL} with ‖∇L‖ < 10⁻⁵‖y‖ and λ_min(∇²L) > −10⁻⁶‖y‖²`,
      scale: full ? `d = ${d}` : `d = ${d}, a small grid (the survey states it for any d)`,
    },
    backendUsed: 'cpu float64 (plain-number gradient in the loop, checked against autograd; Hessian by autograd)',
    figures: [phase, spur],
    comparison: {
      headers: ['k', 'n', 'kd/n', '≥ d aⱼ of each sign', 'success rate', 'spurious SOSPs', 'not converged', 'worst spurious L/‖y‖²'],
      rows: cells.map((c) => [c.k, c.n, Number(c.ratio.toFixed(3)), c.signCondition ? 'yes' : 'no', Number(c.success.toFixed(2)), c.spurious, c.unconverged, c.worstSpurious === null ? '—' : Number(c.worstSpurious.toPrecision(3))]),
    },
    verdict:
      spuriousOver === 0
        ? { status: 'matches', text: `no spurious second-order stationary point in ${over.length * runs} runs with kd ≥ n (success rate ${(100 * rate(over)).toFixed(0)}%); with kd < n, ${spuriousUnder} of ${under.length * runs} runs stopped at one (success ${(100 * rate(under)).toFixed(0)}%); ${theoremText}` }
        : {
            status: 'differs',
            text: `${spuriousOver} runs with kd ≥ n ended at a second-order stationary point with L > 0, against the survey's statement as printed: ${spuriousList}. ${spuriousTheorem === 0 ? 'None is in a cell with d positive and d negative aⱼ, so none contradicts Soltanolkotabi et al.\'s theorem, whose hypothesis is that sign condition, not kd ≥ n' : 'Some are in cells with d positive and d negative aⱼ, against Soltanolkotabi et al.\'s theorem itself'}; ${theoremText}`,
          },
    headline: {
      spuriousSospOverParameterized: spuriousOver,
      spuriousSospUnderParameterized: spuriousUnder,
      successRateOverParameterized: rate(over),
      successRateUnderParameterized: rate(under),
      runsOverParameterized: over.length * runs,
      spuriousSospSignCondition: spuriousTheorem,
      runsSignCondition: theorem.length * runs,
      successRateSignCondition: rate(theorem),
      gradientCheck,
    },
    notes: [
      'Timing on the shared 2-core development machine: --quick 3.4 s at a load of about 5 (9.2 s under a heavier load before the k = 2d row was added), --full (d = 6, the 6 × 7 grid and the row k = 12, 20 runs, 20 000 steps) 244 s at a load of about 6 (the 6 × 7 grid alone took 89 s at a lighter load); all measured.',
      'The --full run (seed 0) ends 2 of its 560 kd ≥ n runs at a spurious SOSP, both in (k, n) = (2, 12), kd = n, and both are real, not runs stopped early: the loss stayed flat to 9 digits over the last 14 000 steps through 8 and 9 perturbations; polished by Newton steps (the test does it) the stop is an exact critical point (‖∇L‖ ≈ 10⁻¹⁴) with L/‖y‖² = 0.0065319852, Hessian eigenvalues 0 (the hyperbolic rotation of W that keeps Wᵀdiag(1, −1)W; the curvature along it is 10⁻¹⁴), then 0.485 (0.461 for the other run) up to 307, so a strict local minimum up to that symmetry, and the two runs reach the same Wᵀdiag(a)W to 6·10⁻¹⁶. The survey\'s "kd ≥ n" is therefore false as printed.',
      'Soltanolkotabi, Javanmard & Lee\'s theorem (arXiv 1707.04926, Thm 2.1) assumes not kd ≥ n but at least d positive and at least d negative output weights (k ≥ 2d), for any data; the survey does not say so. No cell of the k ≤ 8 grid meets it at d = 6 (nor at d = 4 in --quick), which is why the row k = 2d is run, on keys of its own so the other cells are unchanged: none of its 140 runs (30 in --quick) ends at a spurious SOSP. The verdict stays differs because it judges the survey\'s statement; its text says which hypothesis the spurious points violate.',
      'Planted labels make the global minimum 0 at every n, so "global" can be read off the loss; with random labels and kd < n the global minimum is unknown.',
      'A run that is neither global nor a verified SOSP ("not converged") was still moving, often along the flat directions of an over-parameterized global minimum set; it counts as a failure of the rate, not of the landscape.',
    ],
  };
}

/** Survey eq. (21): second-order stationary points of quadratic-activation nets are global when kd ≥ n. */
export const quadraticActivations: Experiment = {
  id: 'quadratic-activations',
  seed: '000 (survey)',
  title: 'Quadratic activations: second-order stationary points are global when kd ≥ n (Soltanolkotabi et al.)',
  reference: 'survey 000, §4.3, eqs. (20)–(21)',
  run: (config, progress) => runOnCpu(() => run(config, progress)),
};
