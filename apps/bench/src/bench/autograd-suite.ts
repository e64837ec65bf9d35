// `ddopt bench autograd`: loss, valueAndGrad and hvp of an MLP 784-256-256-10 on each backend and in PyTorch.
import { hvp, valueAndGrad } from '@ddopt/autograd';
import { add, cpuThreads, dispose, type DType, initBackend, type Key, logSoftmax, matmul, mean, mul, neg, numTensors, oneHot, prng, randint, randn, relu, splitKey, sum, tanh, type Tensor, tidy, withBackend, zeros } from '@ddopt/tensor';
import { type AutogradOverhead, type AutogradSamples, OVERHEAD_HEADERS, TARGETS, autogradOverhead, overheadRow, peerOverheadRow } from './autograd-overhead.js';
import { recordReplay } from './op-profile.js';
import { runTorchPeer } from './peers.js';
import { timeInterleaved } from './timing.js';
import type { BenchOptions, SuiteResult } from './types.js';

const SIZES = [784, 256, 256, 10];

type Params = { w: Tensor; b: Tensor }[];

interface TorchMlpResult {
  torch: string;
  threads: number;
  mlp: { dtype: string; batch: number; loss: number; valueAndGrad: number; hvp: number; hvpForwardOverReverse?: number; hvpForwardOverReverseError?: string }[];
}

/** ReLU then tanh hidden layers, softmax cross-entropy averaged over the batch. */
function mlpLoss(params: Params, x: Tensor, yOneHot: Tensor): Tensor {
  let h = x;
  params.forEach(({ w, b }, i) => {
    const z = add(matmul(h, w), b);
    h = i === 0 ? relu(z) : i === 1 ? tanh(z) : z;
  });
  return mean(neg(sum(mul(yOneHot, logSoftmax(h, -1)), { axis: 1 })));
}

function initParams(key: Key, dtype: 'float32' | 'float64'): Params {
  const keys = splitKey(key, SIZES.length - 1);
  return keys.map((k, i) => ({ w: mul(randn(k, [SIZES[i]!, SIZES[i + 1]!], { dtype }), 1 / Math.sqrt(SIZES[i]!)), b: zeros([SIZES[i + 1]!], dtype as DType) }));
}

/** Runs the autograd suite; returns per-backend times and the ratios the autograd issue targets. */
export async function autogradSuite({ quick }: BenchOptions): Promise<SuiteResult> {
  const notes: string[] = [];
  const batch = quick ? 32 : 128;
  let wasmOk = true;
  try {
    await import('@ddopt/tensor/wasm');
    await initBackend('wasm');
  } catch (e) {
    wasmOk = false;
    notes.push(`wasm backend unavailable: ${(e as Error).message}`);
  }
  const torch = runTorchPeer<TorchMlpResult>('autograd', quick);
  notes.push(`ddopt's cpu backend on ${cpuThreads()} thread(s) for large products (DDOPT_CPU_THREADS sets it).`);
  if (torch.skipped) notes.push(`PyTorch skipped: ${torch.skipped}`);
  else notes.push(`PyTorch ${torch.result!.torch} on ${torch.result!.threads} thread(s); HVP by double backward and, where functorch imports, by jvp of grad (forward over reverse, as ddopt's hvp); measured by python/torch_peer.py in this run.`);

  const configs: { name: string; backend: string; dtype: 'float32' | 'float64' }[] = [
    { name: 'ddopt cpu float64', backend: 'cpu', dtype: 'float64' },
    { name: 'ddopt cpu float32', backend: 'cpu', dtype: 'float32' },
    ...(wasmOk ? [{ name: 'ddopt wasm float32', backend: 'wasm', dtype: 'float32' as const }] : []),
  ];
  const [kp, kx, ky, kv] = splitKey(prng(0), 4);
  const times: Record<string, { loss: number; valueAndGrad: number; hvp: number }> = {};
  const overhead: Record<string, AutogradOverhead> = {};
  const samplesMs: Record<string, AutogradSamples> = {};
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
    ],
    notes,
    measurements: { batch, sizes: SIZES, ms: times, overhead, targets: TARGETS, peerHvpOverGrad, samplesMs, torch: torch.result ?? { skipped: torch.skipped } },
  };
}
