// `ddopt bench tensor`: matmul GFLOP/s and conv2d time on every backend and against peers, in one run.
import { conv2d, cpuThreads, cpuWasm, matmul, naiveMatmul, numTensors, prng, setCpuWasm, splitKey, type Tensor, tidy, uniform, withBackend } from '@ddopt/tensor';
import { linalgBench } from './linalg-bench.js';
import { startWasm } from '../backends.js';
import { blasNote, type RawTfTensor, rawTfjs, rawTfjsThreads, runTorchPeer, type TorchBlas } from './peers.js';
import { timeIt } from './timing.js';
import type { BenchOptions, SuiteResult } from './types.js';

interface TorchTensorResult {
  torch: string;
  threads: number;
  blas?: TorchBlas;
  matmul: { n: number; dtype: string; ms: number }[];
  conv2d: { batch: number; dtype: string; ms: number }[];
}

const fmtMs = (ms: number | undefined) => (ms === undefined ? '—' : ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0));
const gflops = (flops: number, ms: number | undefined) => (ms === undefined ? undefined : flops / (ms * 1e6));
const cell = (flops: number, ms: number | undefined) => (ms === undefined ? '—' : `${gflops(flops, ms)!.toFixed(2)} (${fmtMs(ms)} ms)`);
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);

/**
 * Times the cpu backend with its WebAssembly SIMD kernel (`wasm: true`; undefined where it is
 * unavailable or DDOPT_CPU_WASM=0 turned it off) or with its JavaScript one.
 */
function timeCpu(wasm: boolean, make: () => Tensor[], op: (...xs: Tensor[]) => Tensor, slow: boolean): number | undefined {
  if (wasm && !cpuWasm()) return undefined;
  setCpuWasm(wasm);
  try {
    return timeOp('cpu', make, op, slow);
  } finally {
    setCpuWasm('auto');
  }
}

/** Times `op` on tensors of one backend, reading the result so lazy backends finish the work. */
function timeOp(backend: string, make: () => Tensor[], op: (...xs: Tensor[]) => Tensor, slow: boolean): number {
  const inputs = withBackend(backend, make);
  const run = () => withBackend(backend, () => tidy(() => void op(...inputs).dataSync()));
  const { ms } = timeIt(run, slow ? { warmup: 1, minReps: 2, minSeconds: 0 } : {});
  for (const t of inputs) t.dispose();
  return ms;
}

/** Runs the tensor suite: matmul at several n, conv2d per backend, raw tfjs-wasm, a naive loop and PyTorch. */
export async function tensorSuite({ quick }: BenchOptions): Promise<SuiteResult> {
  const notes: string[] = [];
  const wasmError = await startWasm();
  if (wasmError) notes.push(`wasm backend unavailable, its columns are empty: ${wasmError}`);
  const tf = wasmError ? null : rawTfjs();
  const tfThreads = tf ? rawTfjsThreads() : undefined;
  if (tf) notes.push(`raw tfjs-wasm (XNNPACK) on ${tfThreads ?? '?'} thread(s)${tfThreads === 1 ? ' (tfjs-backend-wasm reports no multithread support in Node)' : ''}.`);
  const torch = runTorchPeer<TorchTensorResult>('tensor', quick);
  notes.push(`ddopt's cpu backend on ${cpuThreads()} thread(s) for large products (DDOPT_CPU_THREADS sets it).`);
  notes.push(
    cpuWasm()
      ? "cpu matmul and conv2d: 'wasm' columns run the cpu backend's WebAssembly SIMD gemm (its default here), 'JS' columns its JavaScript gemm (setCpuWasm(false), DDOPT_CPU_WASM=0)."
      : "cpu matmul and conv2d: WebAssembly SIMD is unavailable or turned off (DDOPT_CPU_WASM=0), so only the JavaScript gemm is timed.",
  );
  notes.push('Ratios are speeds (GFLOP/s over GFLOP/s): above 1× the first named is faster.');
  if (torch.skipped) notes.push(`PyTorch skipped: ${torch.skipped}`);
  else notes.push(`PyTorch ${torch.result!.torch} on ${torch.result!.threads} thread(s), measured by python/torch_peer.py in this run. ${blasNote(torch.result!.blas)}`);

  const sizes = quick ? [64, 128] : [128, 256, 512, 1024];
  const key = prng(0);
  const matmulRows: (string | number)[][] = [];
  const matmulRaw: Record<string, number | undefined>[] = [];
  const tensorsBefore = wasmError ? 0 : numTensors('wasm');
  for (const n of sizes) {
    const [ka, kb] = splitKey(key, 2);
    const make = (dtype: 'float32' | 'float64') => () => [uniform(ka!, [n, n], { dtype }), uniform(kb!, [n, n], { dtype })];
    const slow = n >= 512;
    const cpu64 = timeCpu(true, make('float64'), matmul, slow);
    const cpu32 = timeCpu(true, make('float32'), matmul, slow);
    const js64 = timeCpu(false, make('float64'), matmul, slow);
    const js32 = timeCpu(false, make('float32'), matmul, slow);
    const wasm = tf ? timeOp('wasm', make('float32'), matmul, false) : undefined;
    let raw: number | undefined;
    if (tf) {
      const [a, b] = withBackend('cpu', make('float32')).map((t) => tf.tensor(t.dataSync() as Float32Array, [n, n], 'float32'));
      raw = timeIt(() => tf.tidy(() => void tf.matMul(a!, b!).dataSync())).ms;
      a!.dispose();
      b!.dispose();
    }
    const [a64, b64] = withBackend('cpu', make('float64')).map((t) => t.dataSync() as Float64Array);
    const naive = timeIt(() => naiveMatmul(a64!, b64!, n, n, n), slow ? { warmup: 0, minReps: 1, minSeconds: 0 } : {}).ms;
    const t64 = torch.result?.matmul.find((r) => r.n === n && r.dtype === 'float64')?.ms;
    const t32 = torch.result?.matmul.find((r) => r.n === n && r.dtype === 'float32')?.ms;
    const flops = 2 * n ** 3;
    matmulRaw.push({ n, cpuFloat64: cpu64, cpuFloat32: cpu32, cpuFloat64Js: js64, cpuFloat32Js: js32, wasm, rawTfjsWasm: raw, naiveFloat64: naive, torchFloat64: t64, torchFloat32: t32 });
    // Speed ratios: time of the peer over time of ddopt.
    matmulRows.push([
      n,
      cell(flops, cpu64),
      cell(flops, js64),
      cell(flops, cpu32),
      cell(flops, js32),
      cell(flops, wasm),
      cell(flops, raw),
      cell(flops, naive),
      cell(flops, t64),
      cell(flops, t32),
      ratio(t64, cpu64),
      ratio(raw, cpu32),
      ratio(t32, cpu32),
      ratio(js64, cpu64),
      ratio(raw, wasm),
    ]);
  }

  const batch = quick ? 8 : 64;
  const convFlops = 2 * batch * 16 * 32 * 32 * 3 * 9;
  const [kx, kw] = splitKey(prng(1), 2);
  const convMake = (dtype: 'float32' | 'float64') => () => [uniform(kx!, [batch, 3, 32, 32], { dtype }), uniform(kw!, [16, 3, 3, 3], { dtype })];
  const conv = (x: Tensor, w: Tensor) => conv2d(x, w, { padding: 1 });
  const convMs: Record<string, number | undefined> = {
    'ddopt cpu float64 (wasm)': timeCpu(true, convMake('float64'), conv, false),
    'ddopt cpu float64 (JS)': timeCpu(false, convMake('float64'), conv, false),
    'ddopt cpu float32 (wasm)': timeCpu(true, convMake('float32'), conv, false),
    'ddopt cpu float32 (JS)': timeCpu(false, convMake('float32'), conv, false),
    'ddopt wasm float32': tf ? timeOp('wasm', convMake('float32'), conv, false) : undefined,
  };
  if (tf) {
    // tfjs's native layout is NHWC / HWIO: give the peer its best case.
    const x = tf.tensor(new Float32Array(batch * 32 * 32 * 3).map((_, i) => Math.sin(i)), [batch, 32, 32, 3], 'float32');
    const w = tf.tensor(new Float32Array(3 * 3 * 3 * 16).map((_, i) => Math.cos(i)), [3, 3, 3, 16], 'float32');
    convMs['raw tfjs-wasm float32 (NHWC)'] = timeIt(() => tf.tidy(() => void (tf.conv2d(x, w, 1, 'same') as RawTfTensor).dataSync())).ms;
    x.dispose();
    w.dispose();
  }
  for (const r of torch.result?.conv2d ?? []) convMs[`PyTorch ${r.dtype}`] = r.ms;
  const rawConv = convMs['raw tfjs-wasm float32 (NHWC)'];
  const convRows = Object.entries(convMs).map(([k, ms]) => [k, fmtMs(ms), gflops(convFlops, ms)?.toFixed(2) ?? '—', ratio(rawConv, ms)]);
  if (tf) {
    const leaked = numTensors('wasm') - tensorsBefore;
    notes.push(`wasm tensor count after the suite: ${leaked >= 0 ? '+' : ''}${leaked} (inputs are disposed; a non-zero count is a leak).`);
  }

  const linalg = linalgBench(quick);
  notes.push(...linalg.notes);

  return {
    suite: 'tensor',
    tables: [
      {
        title: 'matmul n×n: GFLOP/s (median time)',
        headers: [
          'n',
          'cpu f64 wasm',
          'cpu f64 JS',
          'cpu f32 wasm',
          'cpu f32 JS',
          'ddopt tfjs-wasm backend f32',
          'raw tfjs-wasm f32',
          'naive loop f64',
          'torch f64',
          'torch f32',
          'cpu f64 wasm / torch f64',
          'cpu f32 wasm / raw tfjs-wasm',
          'cpu f32 wasm / torch f32',
          'cpu f64 wasm / JS',
          'ddopt tfjs-wasm / raw',
        ],
        rows: matmulRows,
      },
      { title: `conv2d: batch ${batch}, 3×32×32 → 16 channels, 3×3, padding 1 (${(convFlops / 1e6).toFixed(1)} MFLOP)`, headers: ['backend', 'ms', 'GFLOP/s', 'speed / raw tfjs-wasm'], rows: convRows },
      linalg.table,
    ],
    notes,
    measurements: { matmulMs: matmulRaw, conv2dMs: convMs, conv2dBatch: batch, torch: torch.result ?? { skipped: torch.skipped }, linalg: linalg.measurements },
  };
}
