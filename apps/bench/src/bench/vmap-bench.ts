// Part of `ddopt bench autograd`: vmap against a JavaScript loop over examples and basis vectors,
// and functorch (torch.func) measured by python/torch_peer.py in the same run.
import { grad, hessian, hvp, jacrev, perExampleGrads, vjp } from '@ddopt/autograd';
import { add, dispose, type Key, logSoftmax, matmul, mul, neg, numTensors, oneHot, randint, randn, relu, reshape, slice, splitKey, stack, sum, type Tensor, tanh, tensor, tidy, withBackend, zeros } from '@ddopt/tensor';
import { median, timeInterleaved } from './timing.js';

const SIZES = [784, 256, 256, 10];
const WIDTH = 64;

/** The targets: vmap ≥ 5× faster than the loop for per-example gradients, and within 3× of functorch. */
export const VMAP_TARGETS = { loopOverVmap: 5, vmapOverTorch: 3 } as const;

/** What python/torch_peer.py measures for this part (per dtype, median ms). */
export interface TorchVmapRow {
  dtype: string;
  batch: number;
  perExampleVmap: number;
  perExampleLoop: number;
  jacrevVmap: number;
  jacrevLoop: number;
  hessianVmap?: number;
  hessianVmapError?: string;
  hessianLoop: number;
  /** Process CPU time (time.process_time), median ms, of the per-example calls. */
  perExampleVmapCpu?: number;
  perExampleLoopCpu?: number;
}

/** One configuration's medians (ms). */
export interface VmapTimes {
  perExampleVmap: number;
  perExampleLoop: number;
  jacrevVmap: number;
  jacrevLoop: number;
  hessianVmap: number;
  hessianLoop: number;
}

type Params = { w: Tensor; b: Tensor }[];
type PerExample = 'perExampleVmap' | 'perExampleLoop';
type Float = 'float32' | 'float64';
type Example = { x: Tensor; y: Tensor };

/** One example's loss: ReLU then tanh hidden layers, softmax cross-entropy (the suite's MLP on a batch of one). */
function oneLoss(params: Params, e: Example): Tensor {
  let h = reshape(e.x, [1, SIZES[0]!]);
  params.forEach(({ w, b }, i) => {
    const z = add(matmul(h, w), b);
    h = i === 0 ? relu(z) : i === 1 ? tanh(z) : z;
  });
  return neg(sum(mul(reshape(e.y, [1, SIZES[SIZES.length - 1]!]), logSoftmax(h, -1))));
}

function setup(key: Key, dtype: Float, batch: number) {
  const [kp, kx, ky, kw, kb, k0] = splitKey(key, 6) as Key[];
  const classes = SIZES[SIZES.length - 1]!;
  const params: Params = splitKey(kp!, SIZES.length - 1).map((k, i) => ({ w: mul(randn(k, [SIZES[i]!, SIZES[i + 1]!], { dtype }), 1 / Math.sqrt(SIZES[i]!)), b: zeros([SIZES[i + 1]!], dtype) }));
  const x = randn(kx!, [batch, SIZES[0]!], { dtype });
  const y = oneHot(randint(ky!, [batch], 0, classes), classes, dtype);
  const examples: Example[] = Array.from({ length: batch }, (_, i) => ({ x: reshape(slice(x, [i, 0], [1, SIZES[0]!]), [SIZES[0]!]), y: reshape(slice(y, [i, 0], [1, classes]), [classes]) }));
  const W = mul(randn(kw!, [WIDTH, WIDTH], { dtype }), 1 / Math.sqrt(WIDTH));
  const b = randn(kb!, [WIDTH, 1], { dtype });
  const x0 = randn(k0!, [WIDTH, 1], { dtype });
  const eye = Array.from({ length: WIDTH }, (_, i) => {
    const v = dtype === 'float64' ? new Float64Array(WIDTH) : new Float32Array(WIDTH);
    v[i] = 1;
    return tensor(v, { shape: [WIDTH, 1], dtype, backend: x0.backend });
  });
  return { params, x, y, examples, W, b, x0, eye };
}

/**
 * Times, on the current backend: per-example gradients by vmap (perExampleGrads) and by a loop
 * of grad over the examples (one tidy each) stacked into the same [batch, ...param] leaves; the Jacobian of
 * tanh(Wx + b) (64 → 64) by jacrev and by one pullback per basis vector; its Hessian of
 * Σ tanh² by hessian and by one hvp per basis vector. Every call reads its results back.
 */
export function timeVmap(key: Key, dtype: Float, backend: string, batch: number, quick: boolean): { ms: VmapTimes; samplesMs: Record<keyof VmapTimes, number[]>; cpuMs: Record<PerExample, number>; leaked: number } {
  const before = backend === 'wasm' ? numTensors('wasm') : 0;
  const data = withBackend(backend, () => tidy(() => setup(key, dtype, batch)));
  const { params, x, y, examples, W, b, x0, eye } = data;
  const layer = (v: Tensor) => tanh(add(matmul(W, v), b));
  const scalar = (v: Tensor) => sum(mul(layer(v), layer(v)));
  const read = (tree: unknown) => {
    for (const t of Array.isArray(tree) ? tree.flatMap((p) => Object.values(p as object)) : Object.values(tree as object)) (t as Tensor).dataSync();
  };
  const calls: Record<keyof VmapTimes, () => void> = {
    perExampleVmap: () => read(perExampleGrads(oneLoss, params, { x, y })),
    perExampleLoop: () => {
      // Each example in its own tidy, as a loop written for speed would be: its intermediates
      // are dropped before the next example (held to the end, 128 examples' tapes kept ~0.5 GB
      // alive and the loop ran up to 2× slower, from memory, not from the work).
      const per = examples.map((e) => tidy(() => grad(oneLoss)(params, e) as Params));
      read(params.map((_, l) => ({ w: stack(per.map((g) => g[l]!.w)), b: stack(per.map((g) => g[l]!.b)) })));
    },
    jacrevVmap: () => (jacrev(layer)(x0) as Tensor).dataSync(),
    jacrevLoop: () => {
      const [, pullback] = vjp(layer, x0);
      stack(eye.map((e) => pullback(e)[0] as Tensor)).dataSync();
    },
    hessianVmap: () => (hessian(scalar)(x0) as Tensor).dataSync(),
    hessianLoop: () => stack(eye.map((e) => hvp(scalar, x0, e))).dataSync(),
  };
  // The per-example calls also record this process's CPU time (user + system, all threads: one
  // compute thread here, plus V8's GC helpers), which a loaded machine inflates far less than wall time.
  const cpuSamples: Record<PerExample, number[]> = { perExampleVmap: [], perExampleLoop: [] };
  const run = (k: keyof VmapTimes) => () => withBackend(backend, () => tidy(calls[k]));
  const timed = (k: keyof VmapTimes) => {
    if (k !== 'perExampleVmap' && k !== 'perExampleLoop') return run(k);
    return () => {
      const u = process.cpuUsage();
      run(k)();
      const d = process.cpuUsage(u);
      cpuSamples[k].push((d.user + d.system) / 1000);
    };
  };
  const inTidy = (names: (keyof VmapTimes)[]) => Object.fromEntries(names.map((k) => [k, timed(k)])) as Record<keyof VmapTimes, () => void>;
  const options = { minSeconds: quick ? 0.3 : 6, minReps: quick ? 2 : 7, maxReps: 60 };
  // Two groups: the per-example calls allocate ~100 MB each, and the garbage collection that
  // follows would land in the sub-millisecond Jacobian calls of the same round.
  const samplesMs = {
    ...timeInterleaved(inTidy(['perExampleVmap', 'perExampleLoop']), options),
    ...timeInterleaved(inTidy(['jacrevVmap', 'jacrevLoop', 'hessianVmap', 'hessianLoop']), options),
  } as Record<keyof VmapTimes, number[]>;
  const ms = Object.fromEntries(Object.entries(samplesMs).map(([k, v]) => [k, median(v as number[])])) as unknown as VmapTimes;
  // The first sample of each is timeInterleaved's warm-up round.
  const cpuMs = { perExampleVmap: median(cpuSamples.perExampleVmap.slice(1)), perExampleLoop: median(cpuSamples.perExampleLoop.slice(1)) };
  dispose(data);
  return { ms, samplesMs, cpuMs, leaked: backend === 'wasm' ? numTensors('wasm') - before : 0 };
}
