// Momentum report (seed 003), §5: a 4-200-80-3 network with biases on 100 Iris samples, batch 10,
// the same initial weights and sample order for every optimizer; loss sampled every 20 steps and
// plotted against steps and against wall time; the report's four qualitative findings checked.
import { valueAndGrad } from '@ddopt/autograd';
import { batches, fitStandardization, iris, standardize } from '@ddopt/datasets';
import { mlp, softmaxCrossEntropy } from '@ddopt/layers';
import { type GradientTransformation, applyUpdates, evalPoint, seedAdadelta, seedAdagrad, seedAdam, seedDemon, seedNadam, seedNag, seedQhm, seedRmsprop, seedSgd, seedSgdm } from '@ddopt/optimizers';
import { type Tensor, argmax, dispose, equal, gather, mean, cast, permutation, prng, slice, splitKey, tidy } from '@ddopt/tensor';
import { type Experiment, type ExperimentResult, type FigureSpec, type Progress, type RunConfig, type Series, breathe } from '../experiment.js';
import { disposeReplaced, tensorsIn } from './tensors.js';

const BATCH = 10;
const TRAIN = 100;
const EVERY = 20;
const SGD_LR = 0.05;

/** The racers: the report's seven, then NAdam, QHM and DEMON from its §3.3 and §6, all in the report's uniform-framework forms. */
function racers(totalSteps: number): { name: string; hyper: string; opt: GradientTransformation }[] {
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

interface Lap {
  name: string;
  hyper: string;
  /** Sampled every EVERY steps (and at 0): step count, step-only wall time, mini-batch and full training loss. */
  samples: { step: number; ms: number; batchLoss: number; trainLoss: number }[];
  testAccuracy: number;
  totalMs: number;
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
  const lossAndGrad = valueAndGrad(lossOf);
  const protect = tensorsIn([init, plan, train, test]);

  const list = racers(steps);
  progress.start(list.length * steps, `${list.length} optimizers × ${steps} steps on Iris`);
  const laps: Lap[] = [];
  for (const { name, hyper, opt } of list) {
    let params: Params = init;
    let state = opt.init(init);
    let ms = 0;
    const trainLoss = () => tidy(() => lossOf(params, train.x, train.y).item());
    const samples: Lap['samples'] = [{ step: 0, ms: 0, batchLoss: Number.NaN, trainLoss: trainLoss() }];
    for (let t = 0; t < steps; t++) {
      const batch = plan[t]!;
      const t0 = performance.now();
      const next = tidy(() => {
        const [value, grads] = lossAndGrad(evalPoint(opt, params, state), batch.x, batch.y) as [Tensor, unknown];
        const { updates, state: s } = opt.update(grads, state, params);
        return { params: applyUpdates(params, updates), state: s, value };
      });
      const batchLoss = next.value.item();
      ms += performance.now() - t0;
      disposeReplaced([params, state], [next.params, next.state], protect);
      next.value.dispose();
      params = next.params as Params;
      state = next.state as typeof state;
      progress.tick();
      if ((t + 1) % EVERY === 0) {
        samples.push({ step: t + 1, ms, batchLoss, trainLoss: trainLoss() });
        await breathe();
      }
    }
    const testAccuracy = tidy(() => mean(cast(equal(argmax(model.apply(params, test.x), { axis: 1 }), test.y), dtype)).item());
    disposeReplaced([params, state], [], protect);
    laps.push({ name, hyper, samples, testAccuracy, totalMs: ms });
  }
  dispose([train, test, plan, init]);

  // The report's findings, measured on the full training loss sampled every EVERY steps.
  const last = (l: Lap) => {
    const tail = l.samples.slice(-5);
    return tail.reduce((a, s) => a + s.trainLoss, 0) / tail.length;
  };
  const atQuarter = (l: Lap) => l.samples.find((s) => s.step >= steps / 4)!.trainLoss;
  const ups = (l: Lap) => l.samples.slice(2).filter((s, i) => s.trainLoss > l.samples[i + 1]!.trainLoss).length;
  const by = Object.fromEntries(laps.map((l) => [l.name, l])) as Record<string, Lap>;
  const seven = ['SGD', 'SGDM', 'SGD-NAG', 'AdaGrad', 'AdaDelta', 'RMSProp', 'Adam'].map((n) => by[n]!);
  const adaptive = ['AdaGrad', 'AdaDelta', 'RMSProp', 'Adam'].map((n) => by[n]!);
  const f = (x: number) => x.toFixed(4);
  const findings = [
    {
      n: 1,
      claim: 'SGD ends lower than SGDM, SGD-NAG and AdaGrad',
      holds: ['SGDM', 'SGD-NAG', 'AdaGrad'].every((n) => last(by.SGD!) < last(by[n]!)),
      seen: `final training loss SGD ${f(last(by.SGD!))}, SGDM ${f(last(by.SGDM!))}, SGD-NAG ${f(last(by['SGD-NAG']!))}, AdaGrad ${f(last(by.AdaGrad!))}`,
    },
    {
      n: 2,
      claim: 'SGDM and SGD-NAG descend more stably than SGD (fewer zigzags)',
      holds: ups(by.SGDM!) < ups(by.SGD!) && ups(by['SGD-NAG']!) < ups(by.SGD!),
      seen: `sampled intervals where the training loss rose: SGD ${ups(by.SGD!)}, SGDM ${ups(by.SGDM!)}, SGD-NAG ${ups(by['SGD-NAG']!)} (of ${steps / EVERY})`,
    },
    {
      n: 3,
      claim: 'AdaGrad is worst of the seven in descent rate and final loss',
      holds: seven.every((l) => l === by.AdaGrad || (last(l) < last(by.AdaGrad!) && atQuarter(l) < atQuarter(by.AdaGrad!))),
      seen: `AdaGrad final ${f(last(by.AdaGrad!))} (worst other: ${f(Math.max(...seven.filter((l) => l !== by.AdaGrad).map(last)))}); at step ${steps / 4}: ${f(atQuarter(by.AdaGrad!))} (worst other: ${f(Math.max(...seven.filter((l) => l !== by.AdaGrad).map(atQuarter)))})`,
    },
    {
      n: 4,
      claim: 'Adam and RMSProp are the best adaptive methods, Adam the more stable',
      holds: [...adaptive].sort((a, b) => last(a) - last(b)).slice(0, 2).every((l) => l === by.Adam || l === by.RMSProp) && ups(by.Adam!) < ups(by.RMSProp!),
      seen: `final: ${adaptive.map((l) => `${l.name} ${f(last(l))}`).join(', ')}; rises: Adam ${ups(by.Adam!)}, RMSProp ${ups(by.RMSProp!)}`,
    },
  ];
  const failed = findings.filter((x) => !x.holds);

  const lossSeries = (x: (s: Lap['samples'][number]) => number, y: (s: Lap['samples'][number]) => number, from = 0): Series[] =>
    laps.map((l) => ({ name: l.name, mark: 'line', dashed: ['NAdam', 'QHM', 'DEMON'].includes(l.name), points: l.samples.slice(from).map((s) => ({ x: x(s), y: y(s) })) }));
  const figures: FigureSpec[] = [
    {
      id: 'race-loss-vs-steps',
      title: 'Training loss (all 100 samples) every 20 steps',
      caption: 'Same initial weights and mini-batch order for every optimizer (report figure 1). Dashed: NAdam, QHM, DEMON, which the report discusses but did not race.',
      x: { label: 'step' },
      y: { label: 'training cross-entropy', type: 'log' },
      series: lossSeries((s) => s.step, (s) => s.trainLoss),
    },
    {
      id: 'race-batch-loss',
      title: 'Mini-batch loss at every 20th step',
      caption: 'The loss of the batch each optimizer just stepped on, the noisy quantity stochastic training sees.',
      x: { label: 'step' },
      y: { label: 'mini-batch cross-entropy', type: 'log' },
      series: lossSeries((s) => s.step, (s) => s.batchLoss, 1),
    },
    {
      id: 'race-loss-vs-time',
      title: 'Training loss vs wall time of the optimizer steps',
      caption: `Time counts gradient, update and parameter write (not the loss evaluations), on ${config.backend} ${dtype} (report figure 2).`,
      x: { label: 'wall time (ms)' },
      y: { label: 'training cross-entropy', type: 'log' },
      series: lossSeries((s) => s.ms, (s) => s.trainLoss),
    },
  ];

  return {
    setup: {
      data: `Iris, shuffled (seed ${config.seed}); first ${TRAIN} samples train, ${150 - TRAIN} held out; features standardized with training statistics`,
      model: 'MLP 4-200-80-3 with biases, ReLU, PyTorch default init, softmax cross-entropy',
      training: `${steps} steps, batch ${BATCH}, loss sampled every ${EVERY} steps`,
      optimizers: laps.map((l) => `${l.name} (${l.hyper})`).join('; '),
      dtype,
    },
    backendUsed: `${config.backend} ${dtype}`,
    figures,
    comparison: {
      headers: ['finding of the report (§5)', 'this run', 'evidence'],
      rows: [
        ...findings.map((x) => [`${x.n}. ${x.claim}`, x.holds ? 'holds' : 'does not hold', x.seen]),
        ...laps.map((l) => [`${l.name}: final training loss / held-out accuracy / step time`, '—', `${f(last(l))} / ${(100 * l.testAccuracy).toFixed(0)}% / ${(l.totalMs / steps).toFixed(2)} ms`]),
      ],
    },
    verdict:
      failed.length === 0
        ? { status: 'matches', text: 'all four qualitative findings of §5 hold' }
        : { status: 'differs', text: `${findings.length - failed.length}/4 findings hold; not: ${failed.map((x) => `(${x.n}) ${x.claim}`).join('; ')}` },
    headline: {
      steps,
      findingsHeld: findings.length - failed.length,
      ...Object.fromEntries(laps.map((l) => [`finalLoss${l.name.replace(/[^A-Za-z]/g, '')}`, last(l)])),
      initialLossSpread: Math.max(...laps.map((l) => l.samples[0]!.trainLoss)) - Math.min(...laps.map((l) => l.samples[0]!.trainLoss)),
      initialLoss: laps[0]!.samples[0]!.trainLoss,
      worstHeldOutAccuracy: Math.min(...laps.map((l) => l.testAccuracy)),
    },
    notes: [
      'The report does not give learning rates. These were fixed before the run, not tuned: PyTorch defaults where PyTorch has one (AdaGrad, RMSProp, Adam, NAdam), α = 0.05 for the SGD family, QHM\'s recommended β₁ = 0.999, ν = 0.7.',
      'All optimizers use the report\'s uniform-framework forms: SGDM\'s momentum is an EMA with weight 1 − β₁, so it has the same effective step as SGD; the report\'s AdaDelta equation is RMSProp\'s, so AdaDelta differs here only by its decay ρ = 0.95 and ε.',
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
