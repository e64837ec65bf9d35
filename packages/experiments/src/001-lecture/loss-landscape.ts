// Lecture 001, "Numerical studies of loss surface" / "Conceptual pictures of the loss surface": the
// loss around trained networks, pictured the way Li et al. (2018, "Visualizing the Loss Landscape of
// Neural Nets") do. A ReLU MLP on MNIST digits is trained twice from one initialisation, with small
// and with large minibatches (Li et al.'s §5, after Keskar et al.); then (1) the 1-D linear
// interpolation between the two minima (Li's fig. 2), (2) 1-D and 2-D slices along random
// filter-normalised directions (each filter of the direction rescaled to the norm of the same filter
// of the weights; biases zeroed: their `filter` / `biasbn` options), contour plots (Li's figs. 3, 5),
// (3) the curvature dᵀ∇²L d along the same directions from @ddopt/autograd's hvp, and (4) the PCA
// directions of the small-batch optimizer's trajectory with the trajectory drawn on the surface (§7).
import { hvp } from '@ddopt/autograd';
import type { Dataset } from '@ddopt/datasets';
import { softmaxCrossEntropy } from '@ddopt/layers';
import { eigh, getBackend, type Key, prng, splitKey, type Tensor, tensor, tidy, treeDot, treeFlatten, treeLeaves, treeUnflatten, withBackend } from '@ddopt/tensor';
import type { Experiment, ExperimentResult, FigureSpec, Progress, RunConfig, Series } from '../contract.js';
import { breathe } from '../contract.js';
import { contourPoints, digitNet, digits, errorOn, filterNormalizedDirection, linspace, lossOn, type MlpParams, offset, trainMlp } from './landscape-tools.js';

interface Sizes {
  n: number;
  nTest: number;
  hidden: number[];
  epochs: number;
  small: number;
  large: number;
  lr: number;
  grid1d: number;
  grid2d: number;
}

function sizes(mode: RunConfig['mode']): Sizes {
  if (mode === 'full') return { n: 8000, nTest: 2000, hidden: [256, 128], epochs: 100, small: 128, large: 2048, lr: 0.05, grid1d: 51, grid2d: 51 };
  return { n: 1024, nTest: 500, hidden: [64], epochs: 12, small: 16, large: 256, lr: 0.05, grid1d: 33, grid2d: 17 };
}

const MOMENTUM = 0.9;

/** L(θ + α·d) for each α (the 1-D slice of Li et al.). */
export function curve1d<P>(loss: (p: P) => number, params: P, direction: P, alphas: number[]): number[] {
  return alphas.map((a) => tidy(() => loss(offset(params, [direction], [a]))));
}

/** L(θ + a·d₁ + b·d₂) on the grid, rows over b (ys), columns over a (xs). */
export function surface2d<P>(loss: (p: P) => number, params: P, d1: P, d2: P, xs: number[], ys: number[]): number[][] {
  return ys.map((b) => xs.map((a) => tidy(() => loss(offset(params, [d1, d2], [a, b])))));
}

/** dᵀ∇²L(θ)d by @ddopt/autograd's Hessian-vector product: the curvature of α ↦ L(θ + αd) at 0. */
export function directionalCurvature<P>(loss: (p: P) => Tensor, params: P, direction: P): number {
  return tidy(() => treeDot(direction, hvp(loss, params, direction)).item());
}

/** Host copy of a pytree of tensors as one flat Float64Array (for the trajectory's PCA). */
function flat(params: MlpParams): Float64Array {
  const leaves = treeLeaves(params);
  const out = new Float64Array(leaves.reduce((s, l) => s + l.size, 0));
  let at = 0;
  for (const l of leaves) {
    out.set(l.dataSync(), at);
    at += l.size;
  }
  return out;
}

/** The flat vector `v` back into the tree structure of `like` (float32). */
function unflat(v: Float64Array, like: MlpParams): MlpParams {
  const { leaves, def } = treeFlatten(like);
  let at = 0;
  const out = leaves.map((l) => {
    const t = tensor(Float32Array.from(v.subarray(at, at + l.size)), { shape: l.shape, dtype: 'float32' });
    at += l.size;
    return t;
  });
  return treeUnflatten(def, out);
}

/**
 * PCA of the trajectory θ₀…θ_{m−1} around its end θ_m (Li et al. §7): the top two principal
 * directions of the rows θᵢ − θ_m, their explained-variance fractions and the trajectory's
 * coordinates along them. Through the m × m Gram matrix (m ≪ number of weights), in float64.
 */
function trajectoryPca(snapshots: Float64Array[]): { dirs: [Float64Array, Float64Array]; explained: [number, number]; coords: { x: number; y: number }[] } {
  const end = snapshots[snapshots.length - 1]!;
  const rows = snapshots.slice(0, -1).map((s) => s.map((v, i) => v - end[i]!));
  const m = rows.length;
  const gram = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      const a = rows[i]!;
      const b = rows[j]!;
      for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
      gram[i * m + j] = s;
      gram[j * m + i] = s;
    }
  }
  const { values, vectors } = withBackend('cpu', () => eigh(tensor(gram, { shape: [m, m], dtype: 'float64' })));
  const lam = Array.from(values.dataSync());
  const U = vectors.toArray() as number[][];
  const total = lam.reduce((s, v) => s + Math.max(v, 0), 0);
  // eigh sorts ascending: the last two are the top components.
  const pick = (c: number): Float64Array => {
    const dir = new Float64Array(end.length);
    for (let i = 0; i < m; i++) {
      const u = U[i]![c]!;
      const r = rows[i]!;
      for (let k = 0; k < dir.length; k++) dir[k]! += u * r[k]!;
    }
    const norm = Math.sqrt(dir.reduce((s, v) => s + v * v, 0));
    return dir.map((v) => v / norm);
  };
  const d1 = pick(m - 1);
  const d2 = pick(m - 2);
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
  const coords = [...rows, new Float64Array(end.length)].map((r) => ({ x: dot(r, d1), y: dot(r, d2) }));
  return { dirs: [d1, d2], explained: [lam[m - 1]! / total, lam[m - 2]! / total], coords };
}

interface Minimum {
  label: string;
  batch: number;
  params: MlpParams;
  steps: number;
  trainLoss: number;
  testLoss: number;
  testError: number;
  trainError: number;
}

async function run(config: RunConfig, progress: Progress): Promise<ExperimentResult> {
  const s = sizes(config.mode);
  const [kData, kInit, kOrderS, kOrderL, kDir1, kDir2] = splitKey(prng(config.seed), 6) as Key[];
  const data = await digits(s.n, s.nTest, kData!);
  const model = digitNet(s.hidden);
  const lossT = (p: MlpParams, d: Dataset = data.train) => softmaxCrossEntropy(model.apply(p, d.x), d.y);
  const trainLossOf = (p: MlpParams) => lossOn(model, p, data.train);
  const testLossOf = (p: MlpParams) => lossOn(model, p, data.test);
  const total = 2 + 3 + 1;
  progress.start(total, `loss surfaces of a ${[784, ...s.hidden, 10].join('-')} ReLU MLP on ${s.n} MNIST digits`);

  // Two minima from the same initial weights: small and large minibatches, same epochs and rate.
  const snapshots: Float64Array[] = [];
  const t0 = performance.now();
  const small = await trainMlp(model, data.train, { batchSize: s.small, epochs: s.epochs, lr: s.lr, momentum: MOMENTUM, initKey: kInit!, orderKey: kOrderS!, onEpoch: (_, p) => snapshots.push(flat(p)) });
  progress.tick();
  const large = await trainMlp(model, data.train, { batchSize: s.large, epochs: s.epochs, lr: s.lr, momentum: MOMENTUM, initKey: kInit!, orderKey: kOrderL! });
  progress.tick();
  const trainSeconds = (performance.now() - t0) / 1000;
  const minimum = (label: string, batch: number, r: { params: MlpParams; steps: number }): Minimum => ({
    label,
    batch,
    params: r.params,
    steps: r.steps,
    trainLoss: trainLossOf(r.params),
    testLoss: testLossOf(r.params),
    testError: errorOn(model, r.params, data.test),
    trainError: errorOn(model, r.params, data.train),
  });
  const minima = [minimum(`small batch (${s.small})`, s.small, small), minimum(`large batch (${s.large})`, s.large, large)];
  const [sb, lb] = minima as [Minimum, Minimum];

  // (1) Linear interpolation θ(α) = (1 − α)θ_SB + αθ_LB (Goodfellow et al.; Li et al. fig. 2).
  const interpAlphas = linspace(-0.5, 1.5, s.grid1d);
  const diff = offset(lb.params, [sb.params], [-1]);
  const interpTrain = curve1d(trainLossOf, sb.params, diff, interpAlphas);
  const interpTest = curve1d(testLossOf, sb.params, diff, interpAlphas);
  const interpErr = interpAlphas.map((a) => tidy(() => errorOn(model, offset(sb.params, [diff], [a]), data.test)));
  progress.tick();
  await breathe();

  // (2) Filter-normalised directions: each minimum gets its own pair, normalised to its own filters.
  const alphas = linspace(-1, 1, s.grid1d);
  const grid = linspace(-1, 1, s.grid2d);
  const slices = minima.map((m) => {
    const d1 = filterNormalizedDirection(kDir1!, m.params);
    const d2 = filterNormalizedDirection(kDir2!, m.params);
    const train1d = curve1d(trainLossOf, m.params, d1, alphas);
    const test1d = curve1d(testLossOf, m.params, d1, alphas);
    const surface = surface2d(trainLossOf, m.params, d1, d2, grid, grid);
    // (3) Curvature along d₁ and d₂: hvp against the 1-D curve's central second difference.
    const curv1 = directionalCurvature((p: MlpParams) => lossT(p), m.params, d1);
    const curv2 = directionalCurvature((p: MlpParams) => lossT(p), m.params, d2);
    const mid = (s.grid1d - 1) / 2;
    const h = alphas[mid + 1]! - alphas[mid]!;
    const fd = (train1d[mid + 1]! - 2 * train1d[mid]! + train1d[mid - 1]!) / (h * h);
    return { m, train1d, test1d, surface, curv1, curv2, fd, h };
  });
  progress.tick();
  await breathe();

  // (4) PCA of the small-batch trajectory (one snapshot per epoch, Li et al. §7).
  const pca = trajectoryPca(snapshots);
  const [p1, p2] = pca.dirs.map((d) => unflat(d, sb.params)) as [MlpParams, MlpParams];
  const span = Math.max(...pca.coords.map((c) => Math.max(Math.abs(c.x), Math.abs(c.y)))) * 1.2;
  const pcaGrid = linspace(-span, span, s.grid2d);
  const pcaSurface = surface2d(trainLossOf, sb.params, p1, p2, pcaGrid, pcaGrid);
  progress.tick();

  // Contour levels at the same heights above each surface's own lowest value, so that tighter rings
  // mean a sharper minimum whatever the loss at the minimum.
  const RISES = [0.05, 0.1, 0.2, 0.5, 1, 2];
  const contour = (id: string, title: string, z: number[][], xs: number[], extra: Series[], caption: string, axis: [string, string]): FigureSpec => {
    const floor = Math.min(...z.flat());
    return {
      id,
      title,
      caption: `${caption} Levels: the surface's lowest sampled value ${floor.toPrecision(3)} plus ${RISES.join(', ')}.`,
      x: { label: axis[0], domain: [xs[0]!, xs[xs.length - 1]!] },
      y: { label: axis[1], domain: [xs[0]!, xs[xs.length - 1]!] },
      series: [...RISES.map((r) => ({ name: `min + ${r}`, mark: 'dot' as const, points: contourPoints(xs, xs, z, floor + r) })).filter((x) => x.points.length > 0), ...extra],
    };
  };
  const [ssb, slb] = slices as [(typeof slices)[number], (typeof slices)[number]];
  const figures: FigureSpec[] = [
    {
      id: 'landscape-interpolation',
      title: 'Linear interpolation from the small-batch (α = 0) to the large-batch minimum (α = 1) (Li et al. fig. 2)',
      caption: `θ(α) = (1 − α)θ_SB + αθ_LB, both trained from the same initial weights for ${s.epochs} epochs with SGD (lr ${s.lr}, momentum ${MOMENTUM}); cross-entropy on the ${s.n} training and ${s.nTest} test digits.`,
      x: { label: 'α' },
      y: { label: 'cross-entropy', type: 'log' },
      series: [
        { name: 'train loss', mark: 'line', points: interpAlphas.map((a, i) => ({ x: a, y: interpTrain[i]! })) },
        { name: 'test loss', mark: 'line', dashed: true, points: interpAlphas.map((a, i) => ({ x: a, y: interpTest[i]! })) },
      ],
      rulesX: [
        { value: 0, label: 'SB' },
        { value: 1, label: 'LB' },
      ],
    },
    {
      id: 'landscape-1d-filter',
      title: 'Loss along a random filter-normalised direction around each minimum (Li et al. fig. 3)',
      caption: 'L(θ + αd) with d Gaussian, each filter (row of a dense weight) rescaled to the norm of the same row of θ, biases zero. With this normalisation the widths of the two curves can be compared.',
      x: { label: 'α' },
      y: { label: 'cross-entropy', type: 'log' },
      series: slices.flatMap((sl) => [
        { name: `${sl.m.label}, train`, mark: 'line' as const, points: alphas.map((a, i) => ({ x: a, y: sl.train1d[i]! })) },
        { name: `${sl.m.label}, test`, mark: 'line' as const, dashed: true, points: alphas.map((a, i) => ({ x: a, y: sl.test1d[i]! })) },
      ]),
    },
    contour('landscape-2d-small', `Contours of the training loss around the small-batch minimum (Li et al. fig. 5)`, ssb.surface, grid, [{ name: 'minimum', mark: 'dot', points: [{ x: 0, y: 0 }] }], `L(θ_SB + a·d₁ + b·d₂), two filter-normalised directions, ${s.grid2d}×${s.grid2d} grid; level sets drawn as their crossings of the grid edges.`, ['a (d₁)', 'b (d₂)']),
    contour('landscape-2d-large', `Contours of the training loss around the large-batch minimum`, slb.surface, grid, [{ name: 'minimum', mark: 'dot', points: [{ x: 0, y: 0 }] }], 'Same construction and level heights above the minimum as the small-batch contour; tighter rings mean a sharper minimum.', ['a (d₁)', 'b (d₂)']),
    contour(
      'landscape-pca-trajectory',
      `The small-batch SGD trajectory on the plane of its top two PCA directions (Li et al. §7, fig. 9)`,
      pcaSurface,
      pcaGrid,
      [{ name: 'trajectory (one point per epoch)', mark: 'line+dot', points: pca.coords }],
      `PCA of θ_epoch − θ_final over ${snapshots.length - 1} epochs; PC1 explains ${(100 * pca.explained[0]).toFixed(1)}%, PC2 ${(100 * pca.explained[1]).toFixed(1)}% of the variance. Contours of the training loss on that plane.`,
      [`PC1 (${(100 * pca.explained[0]).toFixed(1)}%)`, `PC2 (${(100 * pca.explained[1]).toFixed(1)}%)`],
    ),
  ];

  const curvature = (sl: (typeof slices)[number]) => (sl.curv1 + sl.curv2) / 2;
  const sharpnessRatio = curvature(slb) / curvature(ssb);
  const lbSharper = sharpnessRatio > 1;
  const lbWorse = lb.testError > sb.testError;
  const f = (x: number, d = 4) => Number(x.toPrecision(d));
  // Li et al.'s two minima both reach ≈ 0 training loss; say so when the large batch has not.
  const unconverged = lb.trainLoss > 10 * sb.trainLoss ? `; but the large-batch net has not converged as far (training loss ${f(lb.trainLoss, 3)} vs ${f(sb.trainLoss, 3)}), unlike Li et al.'s two minima, so part of its sharpness is distance from a minimum` : '';
  const barrier = Math.max(...interpTrain.slice(interpAlphas.findIndex((a) => a >= 0), interpAlphas.findIndex((a) => a >= 1) + 1)) - Math.max(sb.trainLoss, lb.trainLoss);
  return {
    setup: {
      net: `${[784, ...s.hidden, 10].join('-')} ReLU MLP (mlp of @ddopt/layers, PyTorch default init)`,
      data: `${s.n} training, ${s.nTest} test MNIST digits`,
      training: `SGD lr ${s.lr}, momentum ${MOMENTUM}, ${s.epochs} epochs, batch ${s.small} (${sb.steps} steps) and ${s.large} (${lb.steps} steps), one initialisation, no weight decay`,
      directions: 'Gaussian, filter-normalised per row of each dense weight, biases zero (Li et al.\'s filter/biasbn)',
      grids: `1-D: ${s.grid1d} points on [−1, 1]; 2-D: ${s.grid2d}×${s.grid2d} on [−1, 1]²`,
      'training time': `${trainSeconds.toFixed(1)} s`,
    },
    backendUsed: `${getBackend()} float32`,
    figures,
    comparison: {
      headers: ['quantity', 'Li et al. (VGG-9, CIFAR-10, batch 128 vs 8192, no weight decay)', `this run, batch ${s.small}`, `this run, batch ${s.large}`],
      rows: [
        ['test error', 'lower for SB than LB (figs. 3–5; their numbers are not in the seed)', `${(100 * sb.testError).toFixed(2)}%`, `${(100 * lb.testError).toFixed(2)}%`],
        ['training loss', '≈ 0 for both', f(sb.trainLoss), f(lb.trainLoss)],
        ['filter-normalised 1-D/2-D plots', 'SB minimum visibly wider than LB', `curvature dᵀ∇²Ld = ${f(curvature(ssb))}`, `${f(curvature(slb))} (×${f(sharpnessRatio, 3)})`],
        ['curvature along d₁: hvp vs the curve\'s second difference', '—', `${f(ssb.curv1)} vs ${f(ssb.fd)} (step ${ssb.h.toFixed(3)})`, `${f(slb.curv1)} vs ${f(slb.fd)}`],
        ['trajectory variance in PC1 + PC2', 'most of it (Li et al. §7, fig. 9)', `${(100 * (pca.explained[0] + pca.explained[1])).toFixed(1)}%`, '—'],
        ['barrier on the SB → LB segment (train loss above the higher end)', 'none (Li et al. fig. 2, WD 0: convex-looking)', f(barrier), '—'],
      ],
    },
    verdict:
      lbSharper && lbWorse
        ? { status: 'matches', text: `with filter normalisation the large-batch minimum is ${f(sharpnessRatio, 3)}× sharper (mean dᵀ∇²Ld over two directions) and generalises worse (${(100 * lb.testError).toFixed(1)}% vs ${(100 * sb.testError).toFixed(1)}% test error): sharpness tracks generalisation as Li et al. find, on a ${[784, ...s.hidden, 10].join('-')} MLP with ${s.n} digits instead of VGG-9 on CIFAR-10${unconverged}` }
        : { status: 'differs', text: `large-batch/small-batch curvature ratio ${f(sharpnessRatio, 3)}, test error ${(100 * lb.testError).toFixed(1)}% (LB) vs ${(100 * sb.testError).toFixed(1)}% (SB): ${lbSharper ? 'the sharper minimum does not generalise worse here' : 'the large-batch minimum is not sharper here'}, at a scale of ${s.n} digits and an MLP instead of VGG-9 on CIFAR-10${unconverged}` },
    headline: {
      sharpnessRatio,
      lbSharperAndWorse: lbSharper && lbWorse,
      curvatureSmall: curvature(ssb),
      curvatureLarge: curvature(slb),
      curvatureHvpSmallD1: ssb.curv1,
      curvatureFdSmallD1: ssb.fd,
      curvatureHvpLargeD1: slb.curv1,
      curvatureFdLargeD1: slb.fd,
      testErrorSmall: sb.testError,
      testErrorLarge: lb.testError,
      trainLossSmall: sb.trainLoss,
      trainLossLarge: lb.trainLoss,
      surfaceOriginSmall: ssb.surface[(s.grid2d - 1) / 2]![(s.grid2d - 1) / 2]!,
      surfaceOriginLarge: slb.surface[(s.grid2d - 1) / 2]![(s.grid2d - 1) / 2]!,
      curveOriginSmall: ssb.train1d[(s.grid1d - 1) / 2]!,
      interpolationStart: interpTrain[interpAlphas.findIndex((a) => Math.abs(a) < 1e-12)]!,
      interpolationEnd: interpTrain[interpAlphas.findIndex((a) => Math.abs(a - 1) < 1e-12)]!,
      interpolationTestErrorMid: interpErr[interpAlphas.findIndex((a) => Math.abs(a - 0.5) < 1e-12)]!,
      pcaExplained: pca.explained[0] + pca.explained[1],
      stepsSmall: sb.steps,
      stepsLarge: lb.steps,
    },
    notes: [
      `Scale: a ${[784, ...s.hidden, 10].join('-')} MLP on ${s.n} MNIST digits, against Li et al.'s VGG-9 / ResNet-56 on 50,000 CIFAR-10 images (batch 128 vs 8192, 300 epochs). Same epochs for both batch sizes, so the large batch takes ${s.large / s.small}× fewer steps, as in Li et al. and Keskar et al.`,
      'The lecture (001) poses two conceptual pictures of the surface (rough with isolated minima vs nonlinear with connected minima) and lists "numerical studies of the loss surface" without naming a method; the filter-normalised plots and the small- vs large-batch comparison follow Li et al., which the issue names. Skip connections (Li et al.\'s other comparison) matter for 20+-layer convnets and are not run here.',
      'Contours are drawn as the level sets\' crossings of the grid edges (dots), since the figure contract has lines and dots only.',
      'The curvature dᵀ∇²L(θ)d is the exact Hessian quadratic form (hvp of @ddopt/autograd); the 1-D curve\'s central second difference at grid step h measures the same thing averaged over [−h, h], so with ReLU kinks and the loss\'s non-quadratic shape the two agree only roughly.',
      'Training loss of the surface is evaluated on the full training set, in float32.',
      '--full cost, from a timed medium run of its parts (cpu backend, the shared 2-core machine under load, CPU time): an epoch of 8000 digits on the 784-256-128-10 net takes about 1.5 CPU-s at batch 128 and 0.7 at batch 2048, one loss on the 8000 training digits about 0.26 CPU-s; the 100 + 100 epochs and about 8000 surface points (two 51×51 grids, the PCA grid, the 1-D curves) come to about 40 CPU-minutes, most of it the surfaces.',
    ],
  };
}

/** Li et al.'s filter-normalised loss landscapes of a small- vs a large-batch minimum of an MNIST MLP. */
export const lossLandscape: Experiment = {
  id: 'loss-landscape',
  seed: '001 (lecture)',
  title: 'Loss landscapes: filter-normalised 1-D and 2-D slices, small vs large batch, PCA of the trajectory (Li et al.)',
  reference: 'lecture 001, "Numerical studies of loss surface" and the conceptual pictures; Li et al. 2018, figs. 2, 3, 5, 9',
  run,
  estimateFull: () => 'about 40 CPU-minutes on the cpu backend (100 + 100 epochs of 8000 digits and about 8000 surface points, estimated from timed parts; see its notes)',
};
