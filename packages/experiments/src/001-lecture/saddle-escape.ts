// Lecture 001, "Evasion of saddle points": the set of starts from which GD converges to a strict
// saddle has measure zero, yet GD started exactly on it stays; perturbing GD (Jin & Jordan) escapes.
// L(w₁, w₂) = (w₂ − w₁²)² + εw₁² with ε < 0 has a strict saddle at 0 (Hessian diag(2ε, 2)) whose
// stable manifold is the line w₁ = 0 (∂L/∂w₁ is a multiple of w₁, so GD never leaves it).
import { type GradientTransformation, perturbedGd, sgd, trainStep } from '@ddopt/optimizers';
import { type FloatDType, type Key, type Tensor, prng, splitKey, tensor } from '@ddopt/tensor';
import { type Experiment, type ExperimentResult, type FigureSpec, type Progress, type RunConfig, type Series, breathe } from '../contract.js';
import { meanStd } from '../stats.js';
import { valley, valleyGrad } from './valley.js';

const EPS = -0.1;
const ALPHA = 0.25; // < 2/M with M = 2, the largest curvature near the saddle
/** Perturbed GD (Jin et al.'s g_thres, r, t_thres): kick when ‖∇L‖ ≤ G_THRES, at least T_THRES + 1 steps apart. */
const G_THRES = 1e-3;
const RADIUS = 1e-2;
const T_THRES = 50;
/** A run has escaped once L falls this far below the saddle's value L(0) = 0. */
const ESCAPE_DROP = 0.05;

interface Trace {
  points: { w1: number; w2: number; loss: number; gradNorm: number }[];
  escapeStep: number | null;
}

const loss = (w: Tensor) => valley(w, EPS);

/** Runs `tx` from `start` for at most `steps` steps with `trainStep`, stopping at escape. */
function descend(start: [number, number], steps: number, dtype: FloatDType, tx: GradientTransformation, progress: Progress): Trace {
  const params = tensor(start, { dtype });
  let current = { params, state: tx.init(params) };
  const trace: Trace = { points: [], escapeStep: null };
  for (let n = 0; n < steps; n++) {
    const [w1, w2] = current.params.dataSync() as unknown as [number, number];
    const next = trainStep(loss, tx, current);
    const point = { w1, w2, loss: next.loss, gradNorm: Math.hypot(...valleyGrad(w1, w2, EPS)) };
    trace.points.push(point);
    current = next;
    progress.tick();
    if (point.loss < -ESCAPE_DROP) {
      trace.escapeStep = n;
      progress.tick(steps - n - 1);
      break;
    }
  }
  current.params.dispose();
  return trace;
}

function thin<T>(v: T[], max: number): T[] {
  const every = Math.max(1, Math.ceil(v.length / max));
  return v.filter((_, i) => i % every === 0 || i === v.length - 1);
}

async function run(config: RunConfig, progress: Progress): Promise<ExperimentResult> {
  const full = config.mode === 'full';
  const steps = full ? 5000 : 1500;
  const trials = full ? 100 : 20;
  const offset = 1e-6;
  const dtype: FloatDType = config.backend === 'cpu' ? 'float64' : 'float32';
  const gd = sgd({ lr: ALPHA });
  const pgd = (key: Key) => perturbedGd({ lr: ALPHA, gThres: G_THRES, radius: RADIUS, tThres: T_THRES, key });
  progress.start((2 + trials) * steps, `GD and perturbed GD near the saddle of (w₂ − w₁²)² + εw₁², ε = ${EPS}`);

  const onManifold = descend([0, 1], steps, dtype, gd, progress);
  const offManifold = descend([offset, 1], steps, dtype, gd, progress);
  const keys = splitKey(prng(config.seed), trials);
  const perturbed: Trace[] = [];
  for (const k of keys) {
    perturbed.push(descend([0, 1], steps, dtype, pgd(k), progress));
    await breathe();
  }

  const last = onManifold.points[onManifold.points.length - 1]!;
  const plainStays = onManifold.escapeStep === null && Math.abs(last.w1) === 0 && Math.hypot(last.w1, last.w2) < 1e-6 && last.gradNorm < 1e-6;
  const escapes = perturbed.map((t) => t.escapeStep);
  const allEscaped = escapes.every((e) => e !== null);
  const escapeStats = meanStd(escapes.filter((e): e is number => e !== null));
  const maxEscape = Math.max(...escapes.map((e) => e ?? Number.POSITIVE_INFINITY));

  const traj = (name: string, t: Trace): Series => ({ name, mark: 'line', points: thin(t.points, 300).map((p) => ({ x: p.w1, y: p.w2 })) });
  const valley = Array.from({ length: 81 }, (_, i) => -1 + i / 40);
  const planeFigure: FigureSpec = {
    id: 'saddle-trajectories',
    title: 'Trajectories in the (w₁, w₂) plane',
    caption: `GD from (0, 1) slides down the stable manifold w₁ = 0 into the saddle at the origin and stays; GD from (${offset}, 1) and perturbed GD (seed ${config.seed}, first trial) leave along the valley w₂ = w₁² (dashed) where L = εw₁² decreases.`,
    x: { label: 'w₁', domain: [-1, 1] },
    y: { label: 'w₂', domain: [-0.1, 1.05] },
    series: [
      traj('GD on the stable manifold', onManifold),
      traj(`GD, w₁ offset ${offset}`, offManifold),
      traj('perturbed GD', perturbed[0]!),
      { name: 'valley w₂ = w₁²', mark: 'line', dashed: true, points: valley.map((x) => ({ x, y: x * x })) },
      { name: 'saddle', mark: 'dot', points: [{ x: 0, y: 0 }] },
    ],
  };
  // Plain GD's ‖∇L‖ shrinks geometrically down to float underflow; the axis stops at GRAD_FLOOR.
  const GRAD_FLOOR = 1e-16;
  const lossSeries = (name: string, t: Trace): Series => ({
    name,
    mark: 'line',
    points: thin(
      t.points.map((p, n) => ({ x: n, y: p.gradNorm })).filter((p) => p.y >= GRAD_FLOOR),
      400,
    ),
  });
  const gradFigure: FigureSpec = {
    id: 'saddle-gradnorm',
    title: '‖∇L‖ along the runs',
    caption: `Plain GD on the manifold drives ‖∇L‖ to 0 at the saddle (a stationary point that is not a minimum). Perturbed GD (perturbedGd of @ddopt/optimizers) adds a kick uniform in a disc of radius ${RADIUS} to the GD step whenever ‖∇L‖ ≤ ${G_THRES}, at least ${T_THRES + 1} steps apart; the unstable direction then grows like (1 − 2αε)ⁿ. Values below ${GRAD_FLOOR} (plain GD, before it underflows to 0) are not drawn.`,
    x: { label: 'step n' },
    y: { label: '‖∇L(wⁿ)‖', type: 'log', domain: [GRAD_FLOOR, 10] },
    series: [lossSeries('GD on the stable manifold', onManifold), lossSeries(`GD, w₁ offset ${offset}`, offManifold), ...perturbed.slice(0, 5).map((t, i) => lossSeries(`perturbed GD, trial ${i}`, t))],
  };

  const ok = plainStays && allEscaped && offManifold.escapeStep !== null;
  return {
    setup: {
      loss: `L(w₁, w₂) = (w₂ − w₁²)² + εw₁², ε = ${EPS}; saddle at 0 with Hessian diag(${2 * EPS}, 2)`,
      'step size': `α = ${ALPHA} (< 2/M = 1 near the saddle)`,
      start: '(0, 1), on the stable manifold w₁ = 0',
      'perturbed GD': `perturbedGd (Jin et al. 2017, Algorithm 2): step ξ − α∇L with ξ uniform in a disc of radius r = ${RADIUS} when ‖∇L‖ ≤ g_thres = ${G_THRES} and t − t_noise > t_thres = ${T_THRES}, else −α∇L; ${trials} seeded trials`,
      'plain GD': `sgd({ lr: ${ALPHA} }) of @ddopt/optimizers`,
      'escape criterion': `L < −${ESCAPE_DROP} (L is unbounded below along the valley for ε < 0, so runs stop there)`,
      steps,
      dtype,
    },
    backendUsed: `${config.backend} ${dtype}`,
    figures: [planeFigure, gradFigure],
    comparison: {
      headers: ['quantity', 'lecture 001', 'this run'],
      rows: [
        ['GD started on the stable manifold', 'converges to the saddle (measure-zero set of starts)', plainStays ? `stays: |w| = ${Math.hypot(last.w1, last.w2).toExponential(2)}, ‖∇L‖ = ${last.gradNorm.toExponential(2)} after ${steps} steps` : 'left the saddle'],
        [`GD started ${offset} off the manifold`, 'evades the saddle (diverging component)', offManifold.escapeStep !== null ? `escapes at step ${offManifold.escapeStep}` : 'did not escape'],
        ['perturbed GD (Jin & Jordan)', 'escapes', `${escapes.filter((e) => e !== null).length}/${trials} escaped; steps mean ${escapeStats.mean.toFixed(1)} ± ${escapeStats.std.toFixed(1)}, max ${maxEscape}`],
      ],
    },
    verdict: ok
      ? { status: 'matches', text: `plain GD on the stable manifold stays at the saddle; perturbed GD escaped in ${trials}/${trials} trials (mean ${escapeStats.mean.toFixed(0)} steps)` }
      : { status: 'differs', text: [!plainStays && 'plain GD did not stay on the saddle', !allEscaped && 'some perturbed runs did not escape', offManifold.escapeStep === null && 'GD off the manifold did not escape'].filter(Boolean).join('; ') },
    headline: {
      plainGdStaysAtSaddle: plainStays,
      plainFinalGradNorm: last.gradNorm,
      offManifoldEscapeStep: offManifold.escapeStep ?? -1,
      perturbedEscaped: escapes.filter((e) => e !== null).length,
      perturbedTrials: trials,
      perturbedMeanEscapeStep: escapeStats.mean,
    },
    notes: [
      'With ε > 0 the origin is the unique minimum and the valley w₂ = w₁² is the lecture\'s picture of connected, nearly flat minima; ε < 0 turns the origin into a strict saddle, which is what this experiment needs.',
      'Escape time grows like log(1/initial offset) / log(1 − 2αε), as the linearization in the lecture predicts.',
    ],
  };
}

/** Saddle evasion: GD stays on a strict saddle's stable manifold, perturbed GD escapes (lecture 001). */
export const saddleEscape: Experiment = {
  id: 'saddle-escape',
  seed: '001 (lecture)',
  title: 'Evasion of saddle points: GD on the stable manifold stays, perturbed GD escapes',
  reference: 'lecture 001, "Linearization and spectral analysis" and "Evasion of saddle points"',
  run,
};
