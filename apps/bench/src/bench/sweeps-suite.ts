// `ddopt bench sweeps`: training samples per second of the sweep experiments' networks (issue 17),
// ddopt's cpu (float32, float64) and wasm (float32) backends beside PyTorch on the same network,
// batch, optimizer and thread count (torch_peer.py's sweeps suite builds the same architectures from
// the SWEEP_NETS configurations, passed to it as JSON).
import { valueAndGrad } from '@ddopt/autograd';
import { applyModule, cnnK, countParams, initializers, type Module, mlp, mse, resnetCifar, softmaxCrossEntropy } from '@ddopt/layers';
import { adam, applyUpdates, piecewiseConstant, sgd } from '@ddopt/optimizers';
import { cpuThreads, dispose, numTensors, oneHot, prng, randint, randn, splitKey, type Tensor, tidy, treeLeaves, withBackend } from '@ddopt/tensor';
import { startWasm } from '../backends.js';
import { blasNote, runTorchPeer, type TorchBlas } from './peers.js';
import { timeIt } from './timing.js';
import type { BenchOptions, SuiteResult } from './types.js';

/** One network of a sweep experiment, as both sides build it. */
export interface SweepNet {
  id: string;
  /** Where the experiment uses it. */
  source: string;
  model: { kind: 'mlp'; hidden: number } | { kind: 'cnnK'; k: number } | { kind: 'resnetCifar'; blocksPerStage: number; widths: [number, number, number] };
  /** Input shape of one sample. */
  input: number[];
  batch: number;
  loss: 'squared' | 'cross-entropy';
  optimizer: { name: 'adam'; lr: number } | { name: 'sgd'; lr: number; momentum: number };
}

const ADAM = { name: 'adam', lr: 1e-3 } as const;
const SGD_M = { name: 'sgd', lr: 0.05, momentum: 0.9 } as const;

/**
 * The networks, batches and optimizers of deep-double-descent, epoch-wise-double-descent and
 * residual-cifar: their --full sizes, but the residual net at a quarter of its width (widths
 * [16, 32, 64] instead of [64, 128, 256]) so a row takes seconds; `quick`: their --quick sizes.
 */
export function sweepNets(quick: boolean): SweepNet[] {
  if (quick) {
    return [
      { id: 'fc', source: 'deep-double-descent FC (quick), H = 10', model: { kind: 'mlp', hidden: 10 }, input: [196], batch: 200, loss: 'squared', optimizer: ADAM },
      { id: 'cnn', source: 'deep-double-descent CNN (quick), k = 2', model: { kind: 'cnnK', k: 2 }, input: [1, 14, 14], batch: 25, loss: 'cross-entropy', optimizer: { name: 'adam', lr: 1e-2 } },
      { id: 'epoch-wise', source: 'epoch-wise-double-descent (quick), H = 512', model: { kind: 'mlp', hidden: 512 }, input: [196], batch: 100, loss: 'cross-entropy', optimizer: ADAM },
      { id: 'resnet', source: 'residual-cifar (quick), 2 blocks, widths 4-8-16', model: { kind: 'resnetCifar', blocksPerStage: 2, widths: [4, 8, 16] }, input: [3, 32, 32], batch: 32, loss: 'cross-entropy', optimizer: SGD_M },
    ];
  }
  return [
    { id: 'fc-threshold', source: 'deep-double-descent FC, 784-50-10 (n_p ≈ nK)', model: { kind: 'mlp', hidden: 50 }, input: [784], batch: 500, loss: 'squared', optimizer: ADAM },
    { id: 'fc-widest', source: 'deep-double-descent FC, 784-800-10 (widest)', model: { kind: 'mlp', hidden: 800 }, input: [784], batch: 500, loss: 'squared', optimizer: ADAM },
    { id: 'cnn', source: 'deep-double-descent CNN, cnnK(16) on 28×28', model: { kind: 'cnnK', k: 16 }, input: [1, 28, 28], batch: 128, loss: 'cross-entropy', optimizer: ADAM },
    { id: 'epoch-wise', source: 'epoch-wise-double-descent, 784-1024-10', model: { kind: 'mlp', hidden: 1024 }, input: [784], batch: 128, loss: 'cross-entropy', optimizer: ADAM },
    { id: 'resnet', source: 'residual-cifar, 2 blocks, widths 16-32-64 (¼ width)', model: { kind: 'resnetCifar', blocksPerStage: 2, widths: [16, 32, 64] }, input: [3, 32, 32], batch: 128, loss: 'cross-entropy', optimizer: SGD_M },
  ];
}

/** The model as the experiment builds it (deep-double-descent's freshFc, cnnK, resnetCifar without batch norm). */
function buildModel(net: SweepNet): Module {
  const m = net.model;
  if (m.kind === 'mlp') return mlp([m.hidden, 10], 'relu', { init: initializers.xavierUniform(), biasInit: initializers.zeros() }) as Module;
  if (m.kind === 'cnnK') return cnnK(m.k) as Module;
  return resnetCifar({ blocksPerStage: m.blocksPerStage, batchNorm: false, widths: m.widths }) as Module;
}

type Tree = Parameters<Module['apply']>[0];

/** Frees the leaves of `old` that `kept` does not hold. */
function disposeReplaced(old: unknown, kept: unknown): void {
  const keep = new Set(treeLeaves(kept));
  dispose(treeLeaves(old).filter((t) => !keep.has(t)));
}

/**
 * One full training step of `net` on `backend` in `dtype` (forward, backward, optimizer update,
 * batch-norm statistics carried; the loss and the last parameter read back), on one fixed random
 * batch; `dispose` frees everything after.
 */
export function sweepStepper(net: SweepNet, backend: string, dtype: 'float32' | 'float64'): { step: () => void; dispose: () => void; params: number } {
  return withBackend(backend, () => {
    const model = buildModel(net);
    const [kp, kx, ky] = splitKey(prng(3), 3);
    const init = tidy(() => model.init(kp!, net.input, { dtype }));
    const { x, target } = tidy(() => {
      const labels = randint(ky!, [net.batch], 0, 10);
      return { x: randn(kx!, [net.batch, ...net.input], { dtype }), target: net.loss === 'squared' ? oneHot(labels, 10, dtype) : labels };
    });
    const o = net.optimizer;
    const tx = o.name === 'adam' ? adam({ lr: o.lr }) : sgd({ lr: piecewiseConstant({ init: o.lr, boundariesAndScales: { 30000: 0.1, 50000: 0.1 } }), momentum: o.momentum });
    let params: Tree = init.params;
    let state: Tree = init.state;
    let opt = tx.init(params);
    const vg = valueAndGrad(
      (p: Tree) => {
        const r = applyModule(model, p, x, { train: true, state });
        const loss = net.loss === 'squared' ? mse(r.y, target, { half: false }) : softmaxCrossEntropy(r.y, target);
        return [loss, r.state] as [Tensor, Tree];
      },
      { hasAux: true },
    );
    const step = () =>
      withBackend(backend, () => {
        const next = tidy(() => {
          const [[loss, newState], grads] = vg(params) as [[Tensor, Tree], Tree];
          const u = tx.update(grads, opt, params);
          return { params: applyUpdates(params, u.updates), opt: u.state, state: newState, loss: loss.item() };
        });
        treeLeaves(next.params).at(-1)!.dataSync();
        disposeReplaced([params, opt, state], [next.params, next.opt, next.state]);
        params = next.params;
        opt = next.opt;
        state = next.state;
      });
    return { step, dispose: () => dispose([params, opt, state, x, target]), params: countParams(init.params) };
  });
}

interface TorchSweepRow {
  id: string;
  dtype: string;
  batch: number;
  /** Parameter count of the torch.nn model (compared with ddopt's). */
  params: number;
  stepMs: number;
}

interface TorchSweepResult {
  torch: string;
  threads: number;
  blas?: TorchBlas;
  sweeps: TorchSweepRow[];
}

/** The two PyTorch runs merged, each row at its faster step time (one run alone when the other was skipped). */
function fasterOf(a: { result?: TorchSweepResult; skipped?: string }, b: { result?: TorchSweepResult; skipped?: string }): { result?: TorchSweepResult; skipped?: string } {
  if (!a.result || !b.result) return a.result ? a : b;
  const other = b.result.sweeps;
  return { result: { ...b.result, sweeps: a.result.sweeps.map((r) => ({ ...r, stepMs: Math.min(r.stepMs, other.find((o) => o.id === r.id && o.dtype === r.dtype)?.stepMs ?? Infinity) })) } };
}

/** Runs the sweeps suite: every network on each ddopt backend and in PyTorch; samples/s and ratios. */
export async function sweepsSuite({ quick }: BenchOptions): Promise<SuiteResult> {
  const notes: string[] = [];
  const nets = sweepNets(quick);
  const timing = quick ? { warmup: 1, minReps: 2, minSeconds: 0 } : { warmup: 1, minReps: 2, minSeconds: 2 };
  const wasmError = await startWasm();
  const wasmOk = wasmError === null;
  if (!wasmOk) notes.push(`wasm backend unavailable: ${wasmError}`);
  const configs: { name: string; backend: string; dtype: 'float32' | 'float64' }[] = [
    { name: 'ddopt cpu float32', backend: 'cpu', dtype: 'float32' },
    { name: 'ddopt cpu float64', backend: 'cpu', dtype: 'float64' },
    ...(wasmOk ? [{ name: 'ddopt wasm float32', backend: 'wasm', dtype: 'float32' as const }] : []),
  ];
  // PyTorch runs before and after ddopt's timings and each row keeps the faster: a change of load
  // on a shared machine between the two sides cannot favour ddopt.
  const peerArgs = ['--config', JSON.stringify({ nets, timing })];
  const before = runTorchPeer<TorchSweepResult>('sweeps', quick, peerArgs);
  const ms: Record<string, Record<string, number>> = {};
  const paramCounts: Record<string, number> = {};
  for (const net of nets) {
    ms[net.id] = {};
    for (const c of configs) {
      const before = c.backend === 'wasm' ? numTensors('wasm') : 0;
      const s = sweepStepper(net, c.backend, c.dtype);
      paramCounts[net.id] = s.params;
      ms[net.id]![c.name] = timeIt(s.step, timing).ms;
      s.dispose();
      if (c.backend === 'wasm') {
        const leaked = numTensors('wasm') - before;
        if (leaked !== 0) notes.push(`${net.id}: wasm tensor count after the runs ${leaked > 0 ? '+' : ''}${leaked} (a leak).`);
      }
    }
  }
  const torch = fasterOf(before, runTorchPeer<TorchSweepResult>('sweeps', quick, peerArgs));
  notes.push(`ddopt's cpu backend on ${cpuThreads()} thread(s) for large products (DDOPT_CPU_THREADS sets it); wasm is tfjs-backend-wasm (one thread in Node).`);
  if (torch.skipped) notes.push(`PyTorch skipped: ${torch.skipped}`);
  else notes.push(`PyTorch ${torch.result!.torch} on ${torch.result!.threads} thread(s), the same architectures built with torch.nn, measured by python/torch_peer.py (sweeps) before and after ddopt's timings, each row the faster of the two. ${blasNote(torch.result!.blas)}`);
  notes.push(
    `One step = forward, backward and optimizer update on one fixed random batch (ddopt: valueAndGrad + the optimizer preset + applyUpdates, the loss and the last parameter read back; PyTorch: zero_grad, backward, optimizer.step, loss.item()); samples/s = batch ÷ median step time (at least 2 s or 2 steps per row after one warm-up step). ${quick ? "--quick: the experiments' --quick networks and batches, two timed steps each (not for quoting)." : "The networks and batches are the experiments' --full ones (Adam lr 1e-3; the residual net SGD lr 0.05 momentum 0.9, no batch norm), except the residual net at ¼ of its width so that a row takes seconds."} Ratio = ddopt samples/s ÷ PyTorch samples/s in the same dtype.`,
  );
  for (const r of torch.result?.sweeps ?? []) if (r.params !== paramCounts[r.id]) notes.push(`${r.id}: PyTorch's model has ${r.params} parameters, ddopt's ${paramCounts[r.id]}: not the same network.`);
  const peer = (id: string, dtype: string) => torch.result?.sweeps.find((r) => r.id === id && r.dtype === dtype);
  const rows: (string | number)[][] = [];
  const samplesPerSecond: Record<string, Record<string, number>> = {};
  const ratios: Record<string, Record<string, number>> = {};
  for (const net of nets) {
    samplesPerSecond[net.id] = {};
    ratios[net.id] = {};
    for (const c of configs) {
      const t = ms[net.id]![c.name]!;
      const sps = (net.batch * 1000) / t;
      const p = peer(net.id, c.dtype);
      const psps = p ? (net.batch * 1000) / p.stepMs : undefined;
      samplesPerSecond[net.id]![c.name] = sps;
      if (psps !== undefined) ratios[net.id]![c.name] = sps / psps;
      rows.push([net.source, net.batch, c.name, t.toFixed(1), sps.toFixed(0), psps === undefined ? '—' : psps.toFixed(0), psps === undefined ? '—' : `${(sps / psps).toFixed(2)}×`]);
    }
    for (const dtype of ['float32', 'float64']) {
      const p = peer(net.id, dtype);
      if (!p) continue;
      const sps = (net.batch * 1000) / p.stepMs;
      samplesPerSecond[net.id]![`PyTorch ${dtype}`] = sps;
      rows.push([net.source, net.batch, `PyTorch ${dtype}`, p.stepMs.toFixed(1), sps.toFixed(0), sps.toFixed(0), '1×']);
    }
  }
  return {
    suite: 'sweeps',
    tables: [
      {
        title: `Sweep networks: one training step (forward, backward, update), ${cpuThreads()} thread(s)`,
        headers: ['network', 'batch', 'backend', 'step ms', 'samples/s', 'PyTorch same dtype samples/s', 'ddopt ÷ PyTorch'],
        rows,
      },
    ],
    notes,
    measurements: { threads: cpuThreads(), nets, params: paramCounts, timing, stepMs: ms, samplesPerSecond, ratioToTorchSameDtype: ratios, torch: torch.result ?? { skipped: torch.skipped } },
  };
}
