// Momentum report (seed 003), §5: a 4-200-80-3 network with biases on 100 Iris samples, batch 10,
// the same initial weights and sample order for every optimizer; loss sampled every 20 steps and
// plotted against steps and against wall time; the report's four qualitative findings checked.
import { batches, fitStandardization, iris, standardize } from '@ddopt/datasets';
import { mlp, softmaxCrossEntropy } from '@ddopt/layers';
import { type GradientTransformation, adadelta, adagrad, adam, disposeReplaced, rmsprop, seedAdadelta, seedAdagrad, seedAdam, seedDemon, seedNadam, seedNag, seedQhm, seedRmsprop, seedSgd, seedSgdm, sgd, trainStep } from '@ddopt/optimizers';
import { type Tensor, argmax, cast, dispose, equal, gather, mean, permutation, prng, slice, splitKey, tidy, treeLeaves } from '@ddopt/tensor';
import { type Experiment, type ExperimentResult, type FigureSpec, type Progress, type RunConfig, type Series, breathe } from '../contract.js';
import { type Finding, type Lap, checkFindings, finalLoss } from './race-findings.js';

const BATCH = 10;
const TRAIN = 100;
const EVERY = 20;
const SGD_LR = 0.05;

interface Racer {
  name: string;
  hyper: string;
  opt: GradientTransformation;
}

/** The report's seven, then NAdam, QHM and DEMON from its §3.3 and §6, in the report's uniform-framework forms. */
function reportForms(totalSteps: number): Racer[] {
  return [
    { name: 'SGD', hyper: `α = ${SGD_LR}`, opt: seedSgd({ lr: SGD_LR }) },
    { name: 'SGDM', hyper: `α = ${SGD_LR}, β₁ = 0.9`, opt: seedSgdm({ lr: SGD_LR, beta1: 0.9 }) },
    { name: 'SGD-NAG', hyper: `α = ${SGD_LR}, β₁ = 0.9`, opt: seedNag({ lr: SGD_LR, beta1: 0.9 }) },
    { name: 'AdaGrad', hyper: 'α = 0.01', opt: seedAdagrad({ lr: 0.01 }) },
    { name: 'AdaDelta', hyper: 'α = 0.01, ρ = 0.95, ε = 1e-6', opt: seedAdadelta({ lr: 0.01, beta2: 0.95, eps: 1e-6 }) },
    { name: 'RMSProp', hyper: 'α = 0.01, β₂ = 0.99', opt: seedRmsprop({ lr: 0.01, beta2: 0.99 }) },
    { name: 'Adam', hyper: 'α = 0.001, β = (0.9, 0.999)', opt: seedAdam({ lr: 0.001 }) },
    { name: 'NAdam', hyper: 'α = 0.002, β = (0.9, 0.999)', opt: seedNadam({ lr: 0.002 }) },
    { name: 'QHM', hyper: `α = ${SGD_LR}, β₁ = 0.999, ν = 0.7`, opt: seedQhm({ lr: SGD_LR, beta1: 0.999, nu: 0.7 }) },
    { name: 'DEMON', hyper: `α = ${SGD_LR}, β₁ from 0.9 to 0 over ${totalSteps} steps`, opt: seedDemon({ lr: SGD_LR, beta1: 0.9, totalSteps }) },
  ];
}

/**
 * The report's seven as torch.optim implements them (what a PyTorch user would have raced):
 * momentum buffers without the 1 − β₁ factor, AdaDelta with its own unit-correcting accumulator.
 */
function torchPresets(): Racer[] {
  return [
    { name: 'SGD', hyper: `lr ${SGD_LR}`, opt: sgd({ lr: SGD_LR }) },
    { name: 'SGDM', hyper: `lr ${SGD_LR}, momentum 0.9`, opt: sgd({ lr: SGD_LR, momentum: 0.9 }) },
    { name: 'SGD-NAG', hyper: `lr ${SGD_LR}, momentum 0.9, nesterov`, opt: sgd({ lr: SGD_LR, momentum: 0.9, nesterov: true }) },
    { name: 'AdaGrad', hyper: 'defaults (lr 0.01)', opt: adagrad() },
    { name: 'AdaDelta', hyper: 'defaults (lr 1, ρ 0.9)', opt: adadelta() },
    { name: 'RMSProp', hyper: 'defaults (lr 0.01, α 0.99)', opt: rmsprop() },
    { name: 'Adam', hyper: 'defaults (lr 0.001)', opt: adam() },
  ];
}

async function run(config: RunConfig, progress: Progress): Promise<ExperimentResult> {
  const steps = config.mode === 'full' ? 3000 : 600;
  const dtype = 'float32' as const;
  const [kSplit, kInit, kOrder] = splitKey(prng(config.seed), 3);

  // Data: shuffle the 150 samples once, the first 100 train, the other 50 are held out.
  const { train, test } = tidy(() => {
    const all = iris({ dtype });
    const order = permutation(kSplit!, 150);
    const xAll = gather(all.x, order);
    const yAll = gather(all.y, order);
    const xTrainRaw = slice(xAll, [0, 0], [TRAIN, -1]);
    const stats = fitStandardization(xTrainRaw);
    return {
      train: { x: standardize(xTrainRaw, stats), y: slice(yAll, [0], [TRAIN]) },
      test: { x: standardize(slice(xAll, [TRAIN, 0], [-1, -1]), stats), y: slice(yAll, [TRAIN], [-1]) },
    };
  });

  // One sample order for everyone: the mini-batches of every epoch, drawn once.
  const epochs = Math.ceil(steps / (TRAIN / BATCH));
  const plan = tidy(() => {
    const p: { x: Tensor; y: Tensor }[] = [];
    for (let e = 0; e < epochs; e++) for (const b of batches(train, { batchSize: BATCH, shuffle: true, key: kOrder!, epoch: e })) p.push(b);
    return p;
  });

  const model = mlp([200, 80, 3], 'relu');
  const init = tidy(() => model.init(kInit!, [4], { dtype }).params);
  type Params = typeof init;
  const lossOf = (p: Params, x: Tensor, y: Tensor) => softmaxCrossEntropy(model.apply(p, x), y);
  const protect = new Set(treeLeaves([init, plan, train, test]));

  const forms = reportForms(steps);
  const presets = torchPresets();
  progress.start((forms.length + presets.length) * steps, `${forms.length} + ${presets.length} optimizers × ${steps} steps on Iris`);

  /** Trains a copy of `init` with `opt` over the shared plan, sampling the losses every EVERY steps. */
  const race = async ({ name, hyper, opt }: Racer): Promise<Lap> => {
    let current = { params: init, state: opt.init(init) };
    let ms = 0;
    const trainLoss = () => tidy(() => lossOf(current.params, train.x, train.y).item());
    const samples: Lap['samples'] = [{ step: 0, ms: 0, batchLoss: Number.NaN, trainLoss: trainLoss() }];
    for (let t = 0; t < steps; t++) {
      const batch = plan[t]!;
      const t0 = performance.now();
      const next = trainStep((p: Params) => lossOf(p, batch.x, batch.y), opt, current, { protect });
      ms += performance.now() - t0;
      const batchLoss = next.loss;
      current = next;
      progress.tick();
      if ((t + 1) % EVERY === 0) {
        samples.push({ step: t + 1, ms, batchLoss, trainLoss: trainLoss() });
        await breathe();
      }
    }
    const testAccuracy = tidy(() => mean(cast(equal(argmax(model.apply(current.params, test.x), { axis: 1 }), test.y), dtype)).item());
    disposeReplaced(current, [], protect);
    return { name, hyper, samples, testAccuracy, totalMs: ms };
  };
  const laps: Lap[] = [];
  for (const r of forms) laps.push(await race(r));
  const torchLaps: Lap[] = [];
  for (const r of presets) torchLaps.push(await race(r));
  dispose([train, test, plan, init]);

  const findings = checkFindings(laps, steps);
  const torchFindings = checkFindings(torchLaps, steps);
  const held = (fs: Finding[]) => fs.filter((x) => x.holds).length;
  const f = (x: number) => x.toFixed(4);

  type Sample = Lap['samples'][number];
  const lossSeries = (ls: Lap[], x: (s: Sample) => number, y: (s: Sample) => number, from = 0): Series[] =>
    ls.map((l) => ({ name: l.name, mark: 'line', dashed: ['NAdam', 'QHM', 'DEMON'].includes(l.name), points: l.samples.slice(from).map((s) => ({ x: x(s), y: y(s) })) }));
  const timeCaption = `Time counts each trainStep (gradient, update, parameter write, disposal; not the full-training-set loss evaluations), on ${config.backend} ${dtype} (report figure 2).`;
  const figures: FigureSpec[] = [
    {
      id: 'race-loss-vs-steps',
      title: "Training loss (all 100 samples) every 20 steps: the report's uniform-framework forms",
      caption: 'Same initial weights and mini-batch order for every optimizer (report figure 1). Dashed: NAdam, QHM, DEMON, which the report discusses but did not race.',
      x: { label: 'step' },
      y: { label: 'training cross-entropy', type: 'log' },
      series: lossSeries(laps, (s) => s.step, (s) => s.trainLoss),
    },
    {
      id: 'race-loss-vs-time',
      title: "Training loss vs wall time: the report's forms",
      caption: timeCaption,
      x: { label: 'wall time (ms)' },
      y: { label: 'training cross-entropy', type: 'log' },
      series: lossSeries(laps, (s) => s.ms, (s) => s.trainLoss),
    },
    {
      id: 'race-batch-loss',
      title: "Mini-batch loss at every 20th step: the report's forms",
      caption: 'The loss of the batch each optimizer just stepped on, the noisy quantity stochastic training sees.',
      x: { label: 'step' },
      y: { label: 'mini-batch cross-entropy', type: 'log' },
      series: lossSeries(laps, (s) => s.step, (s) => s.batchLoss, 1),
    },
    {
      id: 'race-torch-loss-vs-steps',
      title: 'Training loss every 20 steps: torch.optim presets',
      caption: "The same race with PyTorch's semantics and default hyperparameters (SGD family at the same lr): heavy-ball momentum without the 1 − β₁ factor takes ~10× larger steps than the report's SGDM.",
      x: { label: 'step' },
      y: { label: 'training cross-entropy', type: 'log' },
      series: lossSeries(torchLaps, (s) => s.step, (s) => s.trainLoss),
    },
    {
      id: 'race-torch-loss-vs-time',
      title: 'Training loss vs wall time: torch.optim presets',
      caption: timeCaption,
      x: { label: 'wall time (ms)' },
      y: { label: 'training cross-entropy', type: 'log' },
      series: lossSeries(torchLaps, (s) => s.ms, (s) => s.trainLoss),
    },
  ];

  const allHeld = held(findings) === 4;
  // SGD, RMSProp (β₂ = 0.99, ε = 1e-8) and Adam are the same algorithm in both families: a cross-check.
  const sameAlgorithm = ['SGD', 'RMSProp', 'Adam'].map((n) => {
    const a = finalLoss(laps.find((l) => l.name === n)!);
    const b = finalLoss(torchLaps.find((l) => l.name === n)!);
    return Math.abs(a - b) / Math.abs(b);
  });
  const key = (name: string) => name.replace(/[^A-Za-z]/g, '');
  const allLaps = [...laps, ...torchLaps];
  return {
    setup: {
      data: `Iris, shuffled (seed ${config.seed}); first ${TRAIN} samples train, ${150 - TRAIN} held out; features standardized with training statistics`,
      model: 'MLP 4-200-80-3 with biases, ReLU, PyTorch default init, softmax cross-entropy',
      training: `${steps} steps, batch ${BATCH}, loss sampled every ${EVERY} steps`,
      "report's forms": laps.map((l) => `${l.name} (${l.hyper})`).join('; '),
      'torch.optim presets': torchLaps.map((l) => `${l.name} (${l.hyper})`).join('; '),
      dtype,
    },
    backendUsed: `${config.backend} ${dtype}`,
    figures,
    comparison: {
      headers: ['finding of the report (§5)', "report's forms", 'evidence', 'torch.optim presets', 'evidence'],
      rows: [
        ...findings.map((x, i) => [`${x.n}. ${x.claim}`, x.holds ? 'holds' : 'does not hold', x.seen, torchFindings[i]!.holds ? 'holds' : 'does not hold', torchFindings[i]!.seen]),
        ...laps.map((l) => {
          const t = torchLaps.find((x) => x.name === l.name);
          const cell = (x: Lap) => `${f(finalLoss(x))} / ${(100 * x.testAccuracy).toFixed(0)}% / ${(x.totalMs / steps).toFixed(2)} ms`;
          return [`${l.name}: final training loss / held-out accuracy / step time`, '', cell(l), '', t ? cell(t) : '—'];
        }),
      ],
    },
    verdict: allHeld
      ? { status: 'matches', text: "all four qualitative findings of §5 hold with the report's forms" }
      : {
          status: 'differs',
          text: `${held(findings)}/4 findings hold with the report's forms (${held(torchFindings)}/4 with torch.optim presets); not: ${findings
            .filter((x) => !x.holds)
            .map((x) => `(${x.n}) ${x.claim}`)
            .join('; ')}`,
        },
    headline: {
      steps,
      findingsHeld: held(findings),
      findingsHeldTorch: held(torchFindings),
      worstRelDiffSameAlgorithm: Math.max(...sameAlgorithm),
      initialLossSpread: Math.max(...allLaps.map((l) => l.samples[0]!.trainLoss)) - Math.min(...allLaps.map((l) => l.samples[0]!.trainLoss)),
      initialLoss: laps[0]!.samples[0]!.trainLoss,
      worstHeldOutAccuracy: Math.min(...laps.map((l) => l.testAccuracy)),
      ...Object.fromEntries(laps.map((l) => [`finalLoss${key(l.name)}`, finalLoss(l)])),
      ...Object.fromEntries(torchLaps.map((l) => [`torchFinalLoss${key(l.name)}`, finalLoss(l)])),
    },
    notes: [
      "The report does not give learning rates. These were fixed before the run, not tuned: PyTorch defaults where PyTorch has one (AdaGrad, AdaDelta, RMSProp, Adam, NAdam), α = 0.05 for the SGD family, QHM's recommended β₁ = 0.999, ν = 0.7.",
      "In the report's uniform-framework forms SGDM's momentum is an EMA with weight 1 − β₁, so it has the same effective step as SGD, and the report's AdaDelta equation is RMSProp's (here it differs only by ρ = 0.95 and ε). The torch.optim presets are the algorithms as PyTorch ships them, which is likely what the report ran.",
      `SGD, RMSProp and Adam are the same algorithm in both families; their final losses agree to a relative ${Math.max(...sameAlgorithm).toExponential(1)} (float32 rounding differs between the two implementations).`,
      'Wall time is measured in the same process for all optimizers, one after another; it depends on the machine and its load.',
    ],
  };
}

/** The optimizer race on Iris from the momentum report, §5. */
export const optimizerRace: Experiment = {
  id: 'optimizer-race',
  seed: '003 (momentum report)',
  title: 'Optimizer race on Iris: SGD, SGDM, NAG, AdaGrad, AdaDelta, RMSProp, Adam (+ NAdam, QHM, DEMON)',
  reference: 'momentum report §5 (figures 1–2 and findings 1–4), §6 for QHM and DEMON',
  run,
};
