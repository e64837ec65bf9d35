// `ddopt bench autograd`: loss, valueAndGrad and hvp of an MLP 784-256-256-10 on each backend and in PyTorch.
import { hvp, valueAndGrad } from '@ddopt/autograd';
import { adam, trainStep } from '@ddopt/optimizers';
import { add, cpuThreads, type DType, dispose, type Key, logSoftmax, matmul, mean, mul, neg, numTensors, oneHot, prng, randint, randn, relu, splitKey, sum, type Tensor, tanh, tidy, withBackend, zeros } from '@ddopt/tensor';
import { type AutogradOverhead, type AutogradSamples, autogradOverhead, OVERHEAD_HEADERS, overheadRow, peerOverheadRow, TARGETS } from './autograd-overhead.js';
import { convNetPart, type TorchConvNetRow } from './conv-net.js';
import { recordReplay } from './op-profile.js';
import { startWasm } from '../backends.js';
import { blasNote, runTorchPeer, type TorchBlas } from './peers.js';
import { timeInterleaved, timeIt } from './timing.js';
import type { BenchOptions, SuiteResult } from './types.js';
import { type TorchVmapRow, timeVmap, VMAP_TARGETS, type VmapTimes } from './vmap-bench.js';

export const SIZES = [784, 256, 256, 10];

export type Params = { w: Tensor; b: Tensor }[];

interface TorchMlpResult {
  torch: string;
  threads: number;
  mlp: { dtype: string; batch: number; loss: number; valueAndGrad: number; hvp: number; adamStep?: number; hvpForwardOverReverse?: number; hvpForwardOverReverseError?: string }[];
  vmap?: TorchVmapRow[] | { skipped: string };
  convNet?: TorchConvNetRow[];
  blas?: TorchBlas;
}

/** ReLU then tanh hidden layers, softmax cross-entropy averaged over the batch. */
export function mlpLoss(params: Params, x: Tensor, yOneHot: Tensor): Tensor {
  let h = x;
  params.forEach(({ w, b }, i) => {
    const z = add(matmul(h, w), b);
    h = i === 0 ? relu(z) : i === 1 ? tanh(z) : z;
  });
  return mean(neg(sum(mul(yOneHot, logSoftmax(h, -1)), { axis: 1 })));
}

export function initParams(key: Key, dtype: 'float32' | 'float64'): Params {
  const keys = splitKey(key, SIZES.length - 1);
  return keys.map((k, i) => ({ w: mul(randn(k, [SIZES[i]!, SIZES[i + 1]!], { dtype }), 1 / Math.sqrt(SIZES[i]!)), b: zeros([SIZES[i + 1]!], dtype as DType) }));
}

/** Runs the autograd suite; returns per-backend times and the ratios the autograd issue targets. */
export async function autogradSuite({ quick }: BenchOptions): Promise<SuiteResult> {
  const notes: string[] = [];
  const batch = quick ? 32 : 128;
  const wasmError = await startWasm();
  const wasmOk = wasmError === null;
  if (!wasmOk) notes.push(`wasm backend unavailable: ${wasmError}`);
  const torch = runTorchPeer<TorchMlpResult>('autograd', quick);
  notes.push(`ddopt's cpu backend on ${cpuThreads()} thread(s) for large products (DDOPT_CPU_THREADS sets it).`);
  if (torch.skipped) notes.push(`PyTorch skipped: ${torch.skipped}`);
  else notes.push(`PyTorch ${torch.result!.torch} on ${torch.result!.threads} thread(s); HVP by double backward and, where functorch imports, by jvp of grad (forward over reverse, as ddopt's hvp); measured by python/torch_peer.py in this run. ${blasNote(torch.result!.blas)}`);

  const configs: { name: string; backend: string; dtype: 'float32' | 'float64' }[] = [
    { name: 'ddopt cpu float64', backend: 'cpu', dtype: 'float64' },
    { name: 'ddopt cpu float32', backend: 'cpu', dtype: 'float32' },
    ...(wasmOk ? [{ name: 'ddopt wasm float32', backend: 'wasm', dtype: 'float32' as const }] : []),
  ];
  const [kp, kx, ky, kv] = splitKey(prng(0), 4);
  const times: Record<string, { loss: number; valueAndGrad: number; hvp: number }> = {};
  const overhead: Record<string, AutogradOverhead> = {};
  const samplesMs: Record<string, AutogradSamples> = {};
  const adamMs: Record<string, number> = {};
  for (const c of configs) {
    const before = c.backend === 'wasm' ? numTensors('wasm') : 0;
    const { params, x, y, v } = withBackend(c.backend, () => tidy(() => ({
      params: initParams(kp!, c.dtype),
      x: randn(kx!, [batch, SIZES[0]!], { dtype: c.dtype }),
      y: oneHot(randint(ky!, [batch], 0, SIZES[SIZES.length - 1]!), SIZES[SIZES.length - 1]!, c.dtype),
      v: initParams(kv!, c.dtype),
    })));
    const f = (p: Params) => mlpLoss(p, x, y);
    const vg = valueAndGrad(f);
    const lossCall = () => f(params).dataSync();
    const gradCall = () => {
      const [value, grads] = vg(params) as [Tensor, Params];
      value.dataSync();
      for (const g of grads) g.w.dataSync();
    };
    const hvpCall = () => {
      const hv = hvp(f, params, v) as Params;
      for (const g of hv) g.w.dataSync();
    };
    const o = withBackend(c.backend, () => tidy(() => {
      const lossOps = recordReplay(lossCall);
      const gradOps = recordReplay(gradCall);
      const hvpOps = recordReplay(hvpCall);
      try {
        // valueAndGrad runs the forward pass first: its first matmuls are the loss's.
        const fwdMatmuls = lossOps.matmuls;
        const inTidy = (fn: () => void) => () => tidy(fn);
        const samples: AutogradSamples = timeInterleaved(
          {
            loss: inTidy(lossCall),
            lossExecute: lossOps.run,
            valueAndGrad: inTidy(gradCall),
            gradExecute: gradOps.run,
            backwardMatmuls: gradOps.runMatmuls(fwdMatmuls),
            hvp: inTidy(hvpCall),
            hvpExecute: hvpOps.run,
          },
          { minSeconds: quick ? 0.3 : 6, minReps: quick ? 3 : 11 },
        );
        samplesMs[c.name] = samples;
        return autogradOverhead(samples, { gradOps: gradOps.ops, backwardMatmuls: gradOps.matmuls - fwdMatmuls, hvpOps: hvpOps.ops });
      } finally {
        for (const r of [lossOps, gradOps, hvpOps]) r.release();
      }
    }));
    overhead[c.name] = o;
    times[c.name] = { loss: o.loss, valueAndGrad: o.valueAndGrad, hvp: o.hvp };
    adamMs[c.name] = timeAdamStep(c.backend, f, params, new Set([x, y]), quick);
    dispose([params, x, y, v]);
    if (c.backend === 'wasm') {
      const leaked = numTensors('wasm') - before;
      notes.push(`wasm tensor count after the runs: ${leaked >= 0 ? '+' : ''}${leaked} (a non-zero count is a leak).`);
    }
  }
  for (const r of torch.result?.mlp ?? []) {
    times[`PyTorch ${r.dtype} (hvp: double backward)`] = { loss: r.loss, valueAndGrad: r.valueAndGrad, hvp: r.hvp };
    if (r.hvpForwardOverReverseError) notes.push(`PyTorch ${r.dtype}: functorch jvp of grad failed: ${r.hvpForwardOverReverseError}`);
    if (r.hvpForwardOverReverse !== undefined) times[`PyTorch ${r.dtype} (hvp: functorch jvp of grad)`] = { loss: r.loss, valueAndGrad: r.valueAndGrad, hvp: r.hvpForwardOverReverse };
  }

  const torch32 = times['PyTorch float32 (hvp: double backward)'];
  const rows = Object.entries(times).map(([name, t]) => [
    name,
    t.loss.toFixed(2),
    t.valueAndGrad.toFixed(2),
    t.hvp.toFixed(2),
    `${(t.valueAndGrad / t.loss).toFixed(2)}×`,
    `${(t.hvp / t.valueAndGrad).toFixed(2)}×`,
    torch32 ? `${(t.valueAndGrad / torch32.valueAndGrad).toFixed(2)}×` : '—',
  ]);
  const peerHvpOverGrad = Object.fromEntries(
    Object.entries(times)
      .filter(([name]) => !overhead[name])
      .map(([name, t]) => [name, { ratio: t.hvp / t.valueAndGrad, pass: t.hvp / t.valueAndGrad <= TARGETS.hvpOverGrad }]),
  );
  const overheadRows = Object.entries(times).map(([name, t]) => (overhead[name] ? overheadRow(name, overhead[name]) : peerOverheadRow(name, t)));
  notes.push(
    "Second table: each call's primitives are recorded once (a dispatcher hook under autograd's) and replayed in order with `execute` alone, from the same parameters and data, no hook, no tape, each result freed after its last use. 'execute' is that replay's median; 'tape & bookkeeping' is the median over rounds of the call's time minus its replay's: autograd's tape, rules and cotangent sums, plus the ops layer's argument checks and reading the results back, which the plain loss pays too ('loss outside execute'). 'bwd matmuls' replays only the matmuls valueAndGrad runs after the forward pass's (count in brackets). Calls and replays alternate round by round, so load on the machine hits them alike. PyTorch rows have no split.",
  );
  const adamPart = adamTable(adamMs, times, torch.result?.mlp, notes);
  const vmapPart = vmapTables(configs, torch.result?.vmap, quick, notes);
  const convPart = convNetPart(wasmOk, torch.result?.convNet, quick, notes);
  const g = TARGETS.gradOverLossPlusBackwardMatmuls;
  return {
    suite: 'autograd',
    tables: [
      {
        title: `MLP ${SIZES.join('-')} (ReLU, tanh, softmax cross-entropy), batch ${batch}: median ms`,
        headers: ['backend', 'loss', 'valueAndGrad', 'hvp', 'grad / loss', 'hvp / grad', 'grad vs torch f32'],
        rows,
      },
      {
        title: `Where the time goes (ms), and the targets: grad ≤ ${g}× (loss + backward matmuls), hvp ≤ ${TARGETS.hvpOverGrad}× grad`,
        headers: OVERHEAD_HEADERS,
        rows: overheadRows,
      },
      adamPart.table,
      ...vmapPart.tables,
      convPart.table,
    ],
    notes,
    measurements: { batch, sizes: SIZES, ms: times, overhead, targets: TARGETS, peerHvpOverGrad, samplesMs, vmap: vmapPart.measurements, convNet: convPart.measurements, adamStepMs: adamPart.measurements, torch: torch.result ?? { skipped: torch.skipped } },
  };
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** The full training step's target: ddopt float32 within this factor of PyTorch float32 (grad + Adam). */
const ADAM_STEP_TARGET = 3;

/** Median ms of one `trainStep` with Adam (lr 1e-3) on the MLP loss, from `params` (kept), its steps' tensors freed. */
function timeAdamStep(backend: string, f: (p: Params) => Tensor, params: Params, protect: Set<Tensor>, quick: boolean): number {
  return withBackend(backend, () => {
    const tx = adam({ lr: 1e-3 });
    const keep = new Set([...protect, ...params.flatMap((p) => [p.w, p.b])]);
    let current = { params, state: tx.init(params) };
    const step = () => {
      current = trainStep(f, tx, current, { protect: keep });
      for (const p of current.params) p.w.dataSync();
    };
    const { ms } = timeIt(step, quick ? { warmup: 1, minReps: 3, minSeconds: 0 } : { warmup: 3, minReps: 11, minSeconds: 3 });
    dispose([current.params, current.state]);
    return ms;
  });
}

/** The Adam training-step table: ddopt's configs beside PyTorch's (torch.optim.Adam), the float32 target. */
function adamTable(adamMs: Record<string, number>, times: Record<string, { valueAndGrad: number }>, torch: TorchMlpResult['mlp'] | undefined, notes: string[]) {
  const peer = (dtype: string) => torch?.find((r) => r.dtype === dtype)?.adamStep;
  const rows: (string | number)[][] = Object.entries(adamMs).map(([name, ms]) => {
    const dtype = name.includes('float64') ? 'float64' : 'float32';
    const t = peer(dtype);
    const slower = t === undefined ? undefined : ms / t;
    const target = dtype === 'float32' && name.includes('cpu') && slower !== undefined ? (slower <= ADAM_STEP_TARGET ? 'pass' : 'miss') : '—';
    return [name, ms.toFixed(2), times[name]!.valueAndGrad.toFixed(2), t?.toFixed(2) ?? '—', slower === undefined ? '—' : `${(1 / slower).toFixed(3)}×`, target];
  });
  for (const r of torch ?? []) if (r.adamStep !== undefined) rows.push([`PyTorch ${r.dtype}`, r.adamStep.toFixed(2), r.valueAndGrad.toFixed(2), r.adamStep.toFixed(2), '1×', '—']);
  notes.push(`Training step: trainStep with adam({ lr: 1e-3 }) (loss, gradient, Adam update, new params read back) vs PyTorch's autograd.grad + torch.optim.Adam step on the same MLP; speed is PyTorch's time over ddopt's in the same dtype; target float32 within ${ADAM_STEP_TARGET}×.`);
  return {
    table: { title: 'MLP training step with Adam: median ms', headers: ['backend', 'step', 'valueAndGrad', 'PyTorch same dtype step', 'speed vs PyTorch', `f32 within ${ADAM_STEP_TARGET}×`], rows },
    measurements: { ms: adamMs, target: ADAM_STEP_TARGET },
  };
}

/** The vmap tables: per-example gradients, and the Jacobian and Hessian of a 64-wide tanh layer, each batched vs looped vs functorch. */
function vmapTables(configs: { name: string; backend: string; dtype: 'float32' | 'float64' }[], torch: TorchMlpResult['vmap'], quick: boolean, notes: string[]) {
  const batch = quick ? 16 : 128;
  const ms: Record<string, VmapTimes> = {};
  const samplesMs: Record<string, Record<keyof VmapTimes, number[]>> = {};
  const cpuMs: Record<string, { perExampleVmap: number; perExampleLoop: number }> = {};
  for (const c of configs) {
    const r = timeVmap(prng(1), c.dtype, c.backend, batch, quick);
    ms[c.name] = r.ms;
    cpuMs[c.name] = r.cpuMs;
    samplesMs[c.name] = r.samplesMs;
    if (c.backend === 'wasm') notes.push(`wasm tensor count after the vmap runs: ${r.leaked >= 0 ? '+' : ''}${r.leaked} (a non-zero count is a leak).`);
  }
  const torchRows = Array.isArray(torch) ? torch : [];
  if (torch && !Array.isArray(torch)) notes.push(`functorch skipped: ${torch.skipped}`);
  for (const t of torchRows) {
    if (t.hessianVmapError) notes.push(`functorch ${t.dtype}: hessian failed: ${t.hessianVmapError}`);
    ms[`PyTorch ${t.dtype} (functorch)`] = {
      perExampleVmap: t.perExampleVmap,
      perExampleLoop: t.perExampleLoop,
      jacrevVmap: t.jacrevVmap,
      jacrevLoop: t.jacrevLoop,
      hessianVmap: t.hessianVmap ?? Number.NaN,
      hessianLoop: t.hessianLoop,
    };
  }
  const torchOf = (dtype: string) => torchRows.find((t) => t.dtype === dtype);
  const targets: Record<string, { loopOverVmap: number; loopOverVmapPass: boolean; vmapOverTorch?: number; vmapOverTorchPass?: boolean }> = {};
  const perExampleRows = Object.entries(ms).map(([name, t]) => {
    const dtype = configs.find((c) => c.name === name)?.dtype;
    const peer = dtype ? torchOf(dtype) : undefined;
    const speedup = t.perExampleLoop / t.perExampleVmap;
    if (dtype) {
      targets[name] = { loopOverVmap: speedup, loopOverVmapPass: speedup >= VMAP_TARGETS.loopOverVmap };
      if (peer) Object.assign(targets[name]!, { vmapOverTorch: t.perExampleVmap / peer.perExampleVmap, vmapOverTorchPass: t.perExampleVmap / peer.perExampleVmap <= VMAP_TARGETS.vmapOverTorch });
    }
    return [
      name,
      t.perExampleVmap.toFixed(1),
      t.perExampleLoop.toFixed(1),
      ratio(t.perExampleLoop, t.perExampleVmap),
      dtype ? (speedup >= VMAP_TARGETS.loopOverVmap ? 'pass' : 'miss') : '—',
      peer ? ratio(t.perExampleVmap, peer.perExampleVmap) : '—',
      peer ? (t.perExampleVmap / peer.perExampleVmap <= VMAP_TARGETS.vmapOverTorch ? 'pass' : 'miss') : '—',
    ];
  });
  // The same comparison by process CPU time: wall times of ddopt and of the PyTorch process, taken
  // minutes apart on a machine other work loads, can differ by the load alone.
  for (const t of torchRows) if (t.perExampleVmapCpu !== undefined && t.perExampleLoopCpu !== undefined) cpuMs[`PyTorch ${t.dtype} (functorch)`] = { perExampleVmap: t.perExampleVmapCpu, perExampleLoop: t.perExampleLoopCpu };
  const cpuRows = Object.entries(cpuMs).map(([name, t]) => {
    const dtype = configs.find((c) => c.name === name)?.dtype;
    const peer = dtype ? torchOf(dtype) : undefined;
    return [name, t.perExampleVmap.toFixed(1), t.perExampleLoop.toFixed(1), ratio(t.perExampleLoop, t.perExampleVmap), peer?.perExampleVmapCpu ? ratio(t.perExampleVmap, peer.perExampleVmapCpu) : '—'];
  });
  const jacobianRows = Object.entries(ms).map(([name, t]) => [
    name,
    t.jacrevVmap.toFixed(2),
    t.jacrevLoop.toFixed(2),
    ratio(t.jacrevLoop, t.jacrevVmap),
    Number.isNaN(t.hessianVmap) ? '—' : t.hessianVmap.toFixed(2),
    t.hessianLoop.toFixed(2),
    Number.isNaN(t.hessianVmap) ? '—' : ratio(t.hessianLoop, t.hessianVmap),
  ]);
  notes.push(
    `vmap tables: "vmap" is perExampleGrads (vmap of grad), jacrev and hessian (one batched pass each); "loop" is grad per example (each in its own tidy) stacked into the same [batch, ...param] leaves, one pullback per basis vector, one hvp per basis vector. PyTorch rows: functorch.vmap(functorch.grad), functorch.jacrev, functorch.hessian vs the same loops with torch.autograd.grad. Targets: loop ÷ vmap ≥ ${VMAP_TARGETS.loopOverVmap} and vmap ÷ functorch ≤ ${VMAP_TARGETS.vmapOverTorch} for the per-example gradients (run with DDOPT_CPU_THREADS=1 for the one-thread comparison: PyTorch gets ddopt's thread count). The CPU-time table repeats the per-example comparison in process CPU time (ddopt's process.cpuUsage, PyTorch's time.process_time), which load from other processes inflates far less than wall time.`,
  );
  return {
    tables: [
      {
        title: `Per-example gradients, MLP ${SIZES.join('-')}, batch ${batch}: median ms (targets: loop ÷ vmap ≥ ${VMAP_TARGETS.loopOverVmap}, vmap ÷ functorch ≤ ${VMAP_TARGETS.vmapOverTorch})`,
        headers: ['backend', 'vmap', 'loop', 'loop / vmap', 'target', 'vmap vs functorch', 'target'],
        rows: perExampleRows,
      },
      {
        title: `Per-example gradients, MLP ${SIZES.join('-')}, batch ${batch}: median process CPU ms (user + system, every thread of the process)`,
        headers: ['backend', 'vmap', 'loop', 'loop / vmap', 'vmap vs functorch'],
        rows: cpuRows,
      },
      {
        title: 'Jacobian of tanh(Wx + b), 64 → 64, and Hessian of Σ tanh(Wx + b)²: median ms',
        headers: ['backend', 'jacrev', 'loop of pullbacks', 'loop / jacrev', 'hessian', 'loop of hvps', 'loop / hessian'],
        rows: jacobianRows,
      },
    ],
    measurements: { batch, width: 64, ms, cpuMs, targets, samplesMs },
  };
}
