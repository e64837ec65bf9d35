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
setBindHook((p, inputs, attrs) => {
  const t0 = performance.now();
  const out = execute(p, inputs, attrs);
  if (backend !== 'cpu') out.dataSync(); // tfjs may defer work; wait for it so the time is the kernel's
  kernelMs += performance.now() - t0;
  return out;
});
const reps = 5;
const t0 = performance.now();
for (let i = 0; i < reps; i++) tidy(() => valueAndGrad(loss)(params));
const total = (performance.now() - t0) / reps;
console.log(`valueAndGrad: ${total.toFixed(2)} ms, of which kernels ${(kernelMs / reps).toFixed(2)} ms; tape, rules and dispatch ${((total - kernelMs / reps)).toFixed(2)} ms (${(((total - kernelMs / reps) / total) * 100).toFixed(1)}%)`);
setBindHook(undefined);
