// Ad-hoc timing of autograd on an MLP 784-256-256-10 (ReLU, tanh, softmax cross-entropy),
// batch 128: one loss, one valueAndGrad, one hvp, and the tape's own cost. Not a test.
//   node_modules/.bin/tsx --conditions=source packages/autograd/bench/mlp.ts [cpu|wasm] [float64|float32]
import '@ddopt/tensor/wasm';
import { type Tensor, div, execute, logSoftmax, matmul, mul, neg, oneHot, prng, randn, relu, setBackend, setBindHook, splitKey, sum, tanh, tensor, tidy } from '@ddopt/tensor';
import { hvp, valueAndGrad, vhp, vjp } from '../src/index.js';

const backend = process.argv[2] ?? 'cpu';
const dtype = (process.argv[3] ?? 'float64') as 'float32' | 'float64';
await setBackend(backend);

const [k1, k2, k3, kx, kv] = splitKey(prng(0), 5) as ReturnType<typeof prng>[];
const init = (k: ReturnType<typeof prng>, shape: number[]) => mul(randn(k, shape, { dtype }), Math.sqrt(1 / shape[0]!));
const params = { w1: init(k1!, [784, 256]), w2: init(k2!, [256, 256]), w3: init(k3!, [256, 10]) };
const x = randn(kx!, [128, 784], { dtype });
const hot = oneHot(tensor(Array.from({ length: 128 }, (_, i) => i % 10), { dtype: 'int32' }), 10, dtype);
const v = { w1: randn(kv!, [784, 256], { dtype }), w2: randn(kv!, [256, 256], { dtype }), w3: randn(kv!, [256, 10], { dtype }) };
type P = typeof params;
const loss = (p: P): Tensor => {
  const h = tanh(matmul(relu(matmul(x, p.w1)), p.w2));
  return div(neg(sum(mul(hot, logSoftmax(matmul(h, p.w3))))), 128);
};

function time(name: string, fn: () => unknown, reps = 15): number {
  const run = () => tidy(() => {
    const out = fn() as Tensor | Record<string, Tensor> | [Tensor, unknown];
    // Force the values (tfjs backends may be lazy).
    const first = Array.isArray(out) ? out[0] : (out as Tensor).dataSync ? out : Object.values(out as Record<string, Tensor>)[0];
    (first as Tensor).dataSync();
  });
  for (let i = 0; i < 2; i++) run();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    run();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  const med = ts[Math.floor(ts.length / 2)]!;
  const best = ts[0]!;
  console.log(`${name.padEnd(34)} ${med.toFixed(2).padStart(9)} ms (median of ${reps}, min ${ts[0]!.toFixed(2)})`);
  return best;
}

console.log(`MLP 784-256-256-10, batch 128, ${backend} ${dtype}`);
const tLoss = time('loss', () => loss(params));
const tRecord = time('loss recorded on a tape (vjp fwd)', () => vjp(loss, params)[0]);
const tGrad = time('valueAndGrad', () => valueAndGrad(loss)(params));
const tHvp = time('hvp (forward over reverse)', () => hvp(loss, params, v));
const tVhp = time('vhp (reverse over reverse)', () => vhp(loss, params, v));
console.log(`tape overhead on the forward pass (min times): ${(tRecord - tLoss).toFixed(2)} ms (${((tRecord / tLoss - 1) * 100).toFixed(1)}%)`);
console.log(`(min times) grad / loss = ${(tGrad / tLoss).toFixed(2)}, hvp / grad = ${(tHvp / tGrad).toFixed(2)}, vhp / grad = ${(tVhp / tGrad).toFixed(2)}`);

// Where valueAndGrad's time goes: kernels (timed by a hook under autograd's, which sees only the
// primitives that reach a backend) versus everything else (tape, rules, dispatch, allocation).
let kernelMs = 0;
let matmulMs = 0;
setBindHook((p, inputs, attrs) => {
  const t0 = performance.now();
  const out = execute(p, inputs, attrs);
  if (backend !== 'cpu') out.dataSync(); // tfjs may defer work; wait for it so the time is the kernel's
  const dt = performance.now() - t0;
  kernelMs += dt;
  if (p === 'matmul') matmulMs += dt;
  return out;
});
const reps = 5;
const measure = (fn: () => void) => {
  kernelMs = 0;
  matmulMs = 0;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tidy(fn);
  return { total: (performance.now() - t0) / reps, kernels: kernelMs / reps, matmuls: matmulMs / reps };
};
measure(() => valueAndGrad(loss)(params)); // warm-up
const fwd = measure(() => {
  loss(params);
});
const vg = measure(() => {
  valueAndGrad(loss)(params);
});
const rest = vg.total - vg.kernels;
console.log(`valueAndGrad: ${vg.total.toFixed(2)} ms, of which kernels ${vg.kernels.toFixed(2)} ms; tape, rules and dispatch ${rest.toFixed(2)} ms (${((rest / vg.total) * 100).toFixed(1)}%)`);
const budget = fwd.total + (vg.matmuls - fwd.matmuls);
console.log(`valueAndGrad / (loss + backward matmuls) = ${vg.total.toFixed(2)} / (${fwd.total.toFixed(2)} + ${(vg.matmuls - fwd.matmuls).toFixed(2)}) = ${(vg.total / budget).toFixed(2)} (target ≤ 1.3)`);
setBindHook(undefined);
