// The small conv net training step of `ddopt bench autograd`: two 3×3 convolutions (16 and 32
// channels), batch 64, one SGD step, timed beside the same step in PyTorch (torch_peer.py's conv_net).
import { valueAndGrad } from '@ddopt/autograd';
import { add, conv2d, type Key, logSoftmax, matmul, mean, mul, neg, oneHot, prng, randint, randn, relu, reshape, splitKey, sub, sum, type Tensor, tidy, withBackend, zeros } from '@ddopt/tensor';
import { timeIt } from './timing.js';

/** The geometry shared with torch_peer.py's conv_net_suite (change both together). */
export const CONV_NET = { channels: [3, 16, 32], size: 32, classes: 10, lr: 0.01 } as const;

interface ConvParams {
  w1: Tensor;
  b1: Tensor;
  w2: Tensor;
  b2: Tensor;
  w3: Tensor;
  b3: Tensor;
}

/** conv 3→16 (3×3, padding 1), ReLU, conv 16→32 (3×3, padding 1), ReLU, mean over space, dense 32→10, softmax cross-entropy. */
function convNetLoss(p: ConvParams, x: Tensor, yOneHot: Tensor): Tensor {
  const [n, c] = [x.shape[0]!, CONV_NET.channels[1]];
  const h1 = relu(add(conv2d(x, p.w1, { padding: 1 }), reshape(p.b1, [1, c, 1, 1])));
  const h2 = relu(add(conv2d(h1, p.w2, { padding: 1 }), reshape(p.b2, [1, CONV_NET.channels[2], 1, 1])));
  const pooled = mean(reshape(h2, [n, CONV_NET.channels[2], CONV_NET.size * CONV_NET.size]), { axis: 2 });
  const z = add(matmul(pooled, p.w3), p.b3);
  return mean(neg(sum(mul(yOneHot, logSoftmax(z, -1)), { axis: 1 })));
}

function initConvNet(key: Key, dtype: 'float32' | 'float64'): ConvParams {
  const [k1, k2, k3] = splitKey(key, 3);
  const [c0, c1, c2] = CONV_NET.channels;
  return {
    w1: mul(randn(k1!, [c1, c0, 3, 3], { dtype }), 1 / Math.sqrt(c0 * 9)),
    b1: zeros([c1], dtype),
    w2: mul(randn(k2!, [c2, c1, 3, 3], { dtype }), 1 / Math.sqrt(c1 * 9)),
    b2: zeros([c2], dtype),
    w3: mul(randn(k3!, [c2, CONV_NET.classes], { dtype }), 1 / Math.sqrt(c2)),
    b3: zeros([CONV_NET.classes], dtype),
  };
}

/** The FLOPs of one step's convolutions (forward, input and weight cotangents; the first conv needs no input cotangent). */
export function convNetFlops(batch: number): number {
  const [c0, c1, c2] = CONV_NET.channels;
  const pixels = batch * CONV_NET.size * CONV_NET.size;
  const conv1 = 2 * pixels * c1 * c0 * 9;
  const conv2 = 2 * pixels * c2 * c1 * 9;
  return 2 * conv1 + 3 * conv2;
}

/**
 * The conv net's training step (loss, gradient, SGD update of every parameter, read back) on
 * `backend` in `dtype`, batch `batch`, as a function to call repeatedly, and `dispose` for after.
 */
export function convNetStepper(backend: string, dtype: 'float32' | 'float64', batch: number): { step: () => void; dispose: () => void } {
  const [kp, kx, ky] = splitKey(prng(2), 3);
  const { params, x, y } = withBackend(backend, () =>
    tidy(() => ({
      params: initConvNet(kp!, dtype),
      x: randn(kx!, [batch, CONV_NET.channels[0], CONV_NET.size, CONV_NET.size], { dtype }),
      y: oneHot(randint(ky!, [batch], 0, CONV_NET.classes), CONV_NET.classes, dtype),
    })),
  );
  const vg = valueAndGrad((p: ConvParams) => convNetLoss(p, x, y));
  let current = params;
  const step = () =>
    withBackend(backend, () => {
      const next = tidy(() => {
        const [value, grads] = vg(current) as [Tensor, ConvParams];
        value.dataSync();
        const out = {} as ConvParams;
        for (const k of Object.keys(current) as (keyof ConvParams)[]) out[k] = sub(current[k], mul(grads[k], CONV_NET.lr));
        return out;
      });
      for (const t of Object.values(next)) t.dataSync();
      if (current !== params) for (const t of Object.values(current)) t.dispose();
      current = next;
    });
  const dispose = () => {
    for (const t of [...Object.values(params), ...(current !== params ? Object.values(current) : []), x, y]) t.dispose();
  };
  return { step, dispose };
}

/** Median ms (wall) of one conv net training step; see convNetStepper. */
export function timeConvNetStep(backend: string, dtype: 'float32' | 'float64', batch: number, quick: boolean): number {
  const { step, dispose } = convNetStepper(backend, dtype, batch);
  const { ms } = timeIt(step, quick ? { warmup: 1, minReps: 2, minSeconds: 0 } : { warmup: 2, minReps: 7, minSeconds: 3 });
  dispose();
  return ms;
}

/** One PyTorch row of torch_peer.py's conv_net_suite. */
export interface TorchConvNetRow {
  dtype: string;
  batch: number;
  step: number;
}

/** The target of the conv net step: ddopt float32 within this factor of PyTorch float32's time. */
export const CONV_NET_TARGET = 3;

/** Times the conv net step on the cpu backend (float64, float32) and tfjs-wasm, beside PyTorch's rows; the table and its measurements. */
export function convNetPart(wasmOk: boolean, torch: TorchConvNetRow[] | undefined, quick: boolean, notes: string[]) {
  const batch = quick ? 8 : 64;
  const flops = convNetFlops(batch);
  const configs: { name: string; backend: string; dtype: 'float32' | 'float64' }[] = [
    { name: 'ddopt cpu float64', backend: 'cpu', dtype: 'float64' },
    { name: 'ddopt cpu float32', backend: 'cpu', dtype: 'float32' },
    ...(wasmOk ? [{ name: 'ddopt wasm float32', backend: 'wasm', dtype: 'float32' as const }] : []),
  ];
  const ms: Record<string, number> = {};
  for (const c of configs) ms[c.name] = timeConvNetStep(c.backend, c.dtype, batch, quick);
  const peer = (dtype: string) => torch?.find((r) => r.dtype === dtype)?.step;
  const rows = configs.map((c) => {
    const t = peer(c.dtype);
    const slower = t === undefined ? undefined : ms[c.name]! / t;
    const target = c.dtype === 'float32' && slower !== undefined ? (slower <= CONV_NET_TARGET ? 'pass' : 'miss') : '—';
    return [c.name, ms[c.name]!.toFixed(1), (flops / (ms[c.name]! * 1e6)).toFixed(2), t === undefined ? '—' : t.toFixed(1), slower === undefined ? '—' : `${(1 / slower).toFixed(3)}×`, target];
  });
  for (const r of torch ?? []) rows.push([`PyTorch ${r.dtype}`, r.step.toFixed(1), (flops / (r.step * 1e6)).toFixed(2), r.step.toFixed(1), '1×', '—']);
  notes.push(
    `Conv net step: conv 3→16 and 16→32 (3×3, padding 1, ReLU) on ${CONV_NET.size}×${CONV_NET.size} inputs, mean over space, dense 32→10, softmax cross-entropy, batch ${batch}; one step = loss, gradient and an SGD update, read back. GFLOP/s counts the convolutions' forward and cotangent products only (${(flops / 1e9).toFixed(2)} GFLOP). Speed vs PyTorch is PyTorch's time over ddopt's in the same dtype; the target is float32 within ${CONV_NET_TARGET}× of PyTorch float32.`,
  );
  return {
    table: { title: `Conv net training step, batch ${batch}: median ms`, headers: ['backend', 'step ms', 'conv GFLOP/s', 'PyTorch same dtype ms', 'speed vs PyTorch', `f32 within ${CONV_NET_TARGET}×`], rows },
    measurements: { batch, flops, ms, torch: torch ?? null, target: CONV_NET_TARGET },
  };
}
