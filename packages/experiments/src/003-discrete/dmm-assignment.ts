// Discrete-optimizers report (seed 003, §3.4, Algorithm 1; Zeng et al. 2019, DMM-Net): the relaxed
// linear assignment by projected gradient descent with Dykstra's projections against the exact
// Hungarian assignment as the number of gradient steps grows, and a small cost model trained
// through the relaxation to reproduce ground-truth matchings (as DMM-Net trains its mask features).
import { linearAssignment, relaxedAssignment } from '@ddopt/diff-solvers';
import { adam, trainStep } from '@ddopt/optimizers';
import { type Key, type Tensor, add, eye, log, matmul, maximum, mean, mul, neg, prng, randn, splitKey, square, sub, sum, tensor, transpose, uniform } from '@ddopt/tensor';
import { type Experiment, type ExperimentResult, type FigureSpec, type Progress, type RunConfig, breathe } from '../contract.js';
import { meanStd } from '../stats.js';

const STEPS = [1, 2, 5, 10, 20, 50, 100, 200];
const STEP_SIZE = 0.2;
const PROJECTIONS = 10;

/** Fraction of rows whose largest relaxed entry sits where the exact assignment puts its 1. */
function argmaxAgreement(X: ArrayLike<number>, exact: ArrayLike<number>, n: number, m: number): number {
  let agree = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < m; j++) if (X[i * m + j]! > X[i * m + best]!) best = j;
    if (exact[i * m + best] === 1) agree++;
  }
  return agree / n;
}

/** Squared distances ‖W r_i − p_j‖² [n, m] between templates r [n, d] and proposals p [m, d] under the feature map W [d, d]. */
function pairCost(W: Tensor, r: Tensor, p: Tensor): Tensor {
  const fr = matmul(r, transpose(W));
  const sq = (x: Tensor) => sum(square(x), { axis: 1, keepdims: true });
  return add(sub(sq(fr), mul(matmul(fr, transpose(p)), 2)), transpose(sq(p)));
}

interface Instance {
  r: Tensor;
  p: Tensor;
  /** The Hungarian matching under the hidden map, 0/1 [n, m]. */
  target: Tensor;
}

/** n templates; m proposals of which n are noisy images A r_i of the templates (in random rows) and the rest distractors. */
function instance(A: Tensor, n: number, m: number, d: number, key: Key): Instance {
  const [kr, kp, kn, ko] = splitKey(key, 4) as [Key, Key, Key, Key];
  const r = randn(kr, [n, d], { dtype: 'float64' });
  const images = add(matmul(r, transpose(A)), mul(randn(kn, [n, d], { dtype: 'float64' }), 0.2)).dataSync();
  const p = Float64Array.from(mul(randn(kp, [m, d], { dtype: 'float64' }), 2).dataSync());
  const order = uniform(ko, [m], { dtype: 'float64' }).dataSync();
  const rowsOf = Array.from({ length: m }, (_, j) => j).sort((a, b) => order[a]! - order[b]!);
  for (let i = 0; i < n; i++) p.set(images.subarray(i * d, (i + 1) * d), rowsOf[i]! * d);
  const pt = tensor(p, { shape: [m, d], dtype: 'float64' });
  return { r, p: pt, target: linearAssignment(pairCost(A, r, pt)) };
}

async function run(config: RunConfig, progress: Progress): Promise<ExperimentResult> {
  const full = config.mode === 'full';
  const [n, m, d] = [5, 8, 4];
  const trials = full ? 200 : 30;
  const trainSteps = full ? 300 : 60;
  const [kCosts, kA, kTrain, kTest, kInit] = splitKey(prng(config.seed), 5) as [Key, Key, Key, Key, Key];
  progress.start(STEPS.length * trials + trainSteps, `relaxed vs exact assignment, ${n}×${m}`);

  // Part 1: random costs, the relaxation's cost gap and argmax agreement as N_grad grows.
  const costKeys = splitKey(kCosts, trials);
  const exact = costKeys.map((k) => {
    const C = uniform(k, [n, m], { dtype: 'float64' });
    const X = linearAssignment(C);
    return { C, X: X.dataSync(), best: sum(mul(C, X)).item() };
  });
  const rows: { steps: number; gap: number; gapSd: number; agreement: number; infeasibility: number }[] = [];
  for (const steps of STEPS) {
    const gaps: number[] = [];
    const agree: number[] = [];
    let worstRow = 0;
    for (const e of exact) {
      const X = relaxedAssignment(e.C, { steps, stepSize: STEP_SIZE, projections: PROJECTIONS });
      const v = X.dataSync();
      gaps.push((sum(mul(e.C, X)).item() - e.best) / e.best);
      agree.push(argmaxAgreement(v, e.X, n, m));
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += v[i * m + j]!;
        worstRow = Math.max(worstRow, Math.abs(s - 1));
      }
      progress.tick();
    }
    const g = meanStd(gaps);
    rows.push({ steps, gap: g.mean, gapSd: g.std, agreement: meanStd(agree).mean, infeasibility: worstRow });
    await breathe();
  }

  // Part 2: learn the feature map W of the matching cost through the relaxation.
  const A = add(eye(d, d, 'float64'), mul(randn(kA, [d, d], { dtype: 'float64' }), 0.5));
  const train = splitKey(kTrain, 20).map((k) => instance(A, n, m, d, k));
  const test = splitKey(kTest, 50).map((k) => instance(A, n, m, d, k));
  const exactAccuracy = (W: Tensor, set: Instance[]) => meanStd(set.map((s) => argmaxAgreement(linearAssignment(pairCost(W, s.r, s.p)).dataSync(), s.target.dataSync(), n, m))).mean;
  const relaxedLoss = (W: Tensor, s: Instance) => {
    // Costs scaled to order one; the loss is −log of the relaxed mass on the true matches.
    const X = relaxedAssignment(mul(pairCost(W, s.r, s.p), 0.1), { steps: 20, stepSize: STEP_SIZE, projections: PROJECTIONS });
    return neg(mean(log(maximum(sum(mul(X, s.target), { axis: 1 }), 1e-6))));
  };
  const W0 = mul(randn(kInit, [d, d], { dtype: 'float64' }), 0.5);
  const before = exactAccuracy(W0, test);
  const tx = adam({ lr: 0.05 });
  let current = { params: W0, state: tx.init(W0) };
  const losses: number[] = [];
  for (let t = 0; t < trainSteps; t++) {
    const batch = [train[(2 * t) % train.length]!, train[(2 * t + 1) % train.length]!];
    const next = trainStep((W: Tensor) => mul(add(relaxedLoss(W, batch[0]!), relaxedLoss(W, batch[1]!)), 0.5), tx, current);
    losses.push(next.loss);
    current = next;
    progress.tick();
    if (t % 5 === 0) await breathe();
  }
  const after = exactAccuracy(current.params, test);
  const hidden = exactAccuracy(A, test);

  const last = rows.at(-1)!;
  const gapFalls = rows.every((r, i) => i === 0 || r.gap <= rows[i - 1]!.gap + 1e-12);
  const learned = after > before && after >= 0.9;
  const matches = gapFalls && last.agreement >= 0.95 && learned;

  const gapFigure: FigureSpec = {
    id: 'dmm-assignment-gap',
    title: `Relaxed vs exact assignment on ${trials} random ${n}×${m} costs U[0, 1]`,
    caption: `Algorithm 1 (α = ${STEP_SIZE}, N_proj = ${PROJECTIONS}) returns the average of its iterates; its cost Tr(CX̂ᵀ) against the Hungarian optimum, relative, as N_grad grows. Once the iterates sit at the optimal vertex they stay, so the average's gap falls like 1/N_grad.`,
    x: { label: 'N_grad (gradient steps)', type: 'log' },
    y: { label: 'relative cost gap', type: 'log' },
    series: [{ name: 'mean relative gap', mark: 'line+dot', points: rows.filter((r) => r.gap > 0).map((r) => ({ x: r.steps, y: r.gap })) }],
  };
  const agreeFigure: FigureSpec = {
    id: 'dmm-assignment-agreement',
    title: 'Rows whose relaxed argmax is the exact match',
    caption: 'Fraction of rows of X̂ whose largest entry is where the Hungarian assignment puts its 1, as N_grad grows.',
    x: { label: 'N_grad (gradient steps)', type: 'log' },
    y: { label: 'argmax agreement', domain: [0, 1] },
    series: [{ name: 'argmax agreement', mark: 'line+dot', points: rows.map((r) => ({ x: r.steps, y: r.agreement })) }],
  };
  const lossFigure: FigureSpec = {
    id: 'dmm-assignment-training',
    title: 'Learning the matching cost through the relaxation',
    caption: `A feature map W of the cost ‖W r_i − p_j‖² trained by Adam on −log of the relaxed mass at the true matches (${train.length} training instances, 2 per step); the test accuracy of the exact assignment under W goes from ${(100 * before).toFixed(0)}% to ${(100 * after).toFixed(0)}% (the hidden map gives ${(100 * hidden).toFixed(0)}%).`,
    x: { label: 'training step' },
    y: { label: 'loss', type: 'log' },
    series: [{ name: 'training loss', mark: 'line', points: losses.map((y, x) => ({ x: x + 1, y })) }],
  };

  return {
    setup: {
      costs: `${trials} matrices ${n}×${m}, entries U[0, 1]`,
      'Algorithm 1': `α = ${STEP_SIZE}, N_proj = ${PROJECTIONS}, X⁰ = 1/m, N_grad ∈ {${STEPS.join(', ')}}`,
      'cost model': `‖W r_i − p_j‖², d = ${d}; proposals: ${n} noisy images A r_i among ${m - n} distractors; ${trainSteps} Adam steps (lr 0.05), relaxation with N_grad = 20`,
      dtype: 'float64',
    },
    backendUsed: 'cpu float64',
    figures: [gapFigure, agreeFigure, lossFigure],
    comparison: {
      headers: ['N_grad', 'relative cost gap (mean ± sd)', 'argmax agreement', 'max |X̂1 − 1|'],
      rows: rows.map((r) => [r.steps, `${r.gap.toExponential(2)} ± ${r.gapSd.toExponential(1)}`, r.agreement.toFixed(3), r.infeasibility.toExponential(1)]),
    },
    verdict: {
      status: matches ? 'matches' : 'differs',
      text: `The report describes the relaxation qualitatively (no figures to compare). Here the relaxed cost approaches the Hungarian optimum as N_grad grows (relative gap ${rows[0]!.gap.toExponential(1)} at N_grad = 1, ${last.gap.toExponential(1)} at ${last.steps}${gapFalls ? ', falling monotonically' : ', not monotonically'}), with argmax agreement ${last.agreement.toFixed(3)}; training a cost model through the unrolled relaxation lifts the exact assignment's test accuracy from ${before.toFixed(2)} to ${after.toFixed(2)} (hidden map ${hidden.toFixed(2)}). DMM-Net's own setting (Mask R-CNN proposals, video segmentation benchmarks) is not reproduced.`,
    },
    headline: {
      gapAtFewSteps: rows[0]!.gap,
      gapAtMostSteps: last.gap,
      argmaxAgreementAtMostSteps: last.agreement,
      accuracyBefore: before,
      accuracyAfter: after,
      accuracyHiddenMap: hidden,
    },
    notes: [
      'Algorithm 1 as printed (relaxedAssignment of @ddopt/diff-solvers): Dykstra increments reset at each gradient step; the blank line 10 read as Y₀ ← Y₃.',
      'The exact reference is linearAssignment (Kuhn–Munkres), checked against scipy.optimize.linear_sum_assignment in its package tests.',
    ],
  };
}

/** DMM-Net's relaxed assignment vs Hungarian, and a cost model learned through it (report 003, §3.4). */
export const dmmAssignment: Experiment = {
  id: 'dmm-assignment',
  seed: '003 (discrete optimizers)',
  title: 'DMM-Net relaxed linear assignment: gap to Hungarian, and learning costs through it',
  reference: 'Discrete-optimizers report §3.4, Algorithm 1 (Zeng et al. 2019)',
  run,
};
