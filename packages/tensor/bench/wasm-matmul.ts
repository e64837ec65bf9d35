// ddopt's 'wasm' backend vs raw tfjs-wasm on matmul: time per call, same process, same tfjs
// instance, interleaved rounds; the best round (robust on a shared machine) and the median. Run from the repo root:
//   node_modules/.bin/tsx packages/tensor/bench/wasm-matmul.ts [n ...]   (default n = 256)
// The target (issue 2): ddopt within 10% of raw tfjs at n = 256.
import { initBackend } from '../src/backend.js';
import { loadTfjsWasmNode } from '../src/backends/tfjs/load-wasm-node.js';
import { tensor } from '../src/creation.js';
import { matmul } from '../src/ops/matmul.js';
import '../src/wasm.js';

const ROUNDS = 25;

function seeded(seed: number, n: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

/** Best and median over rounds of the mean time per call of each fn (rounds of ≥ ~100 ms). */
function timeRounds(fns: Record<string, () => void>): Record<string, { best: number; median: number }> {
  const calls: Record<string, number> = {};
  for (const [name, fn] of Object.entries(fns)) {
    fn();
    const t0 = performance.now();
    let k = 0;
    while (performance.now() - t0 < 100) {
      fn();
      k++;
    }
    calls[name] = Math.max(3, k);
  }
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const t0 = performance.now();
      for (let i = 0; i < calls[name]!; i++) fn();
      samples[name]!.push((performance.now() - t0) / calls[name]!);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([k, v]) => {
      v.sort((a, b) => a - b);
      return [k, { best: v[0]!, median: v[v.length >> 1]! }];
    }),
  );
}

await initBackend('wasm');
const tf = loadTfjsWasmNode();
const sizes = process.argv.slice(2).map(Number);
console.log('n     raw tfjs-wasm ms  ddopt wasm ms  overhead  GFLOP/s raw  GFLOP/s ddopt  (best round; median overhead)');
for (const n of sizes.length ? sizes : [256]) {
  const av = seeded(1, n * n);
  const bv = seeded(2, n * n);
  const ra = tf.tensor(av, [n, n]);
  const rb = tf.tensor(bv, [n, n]);
  const da = tensor(av, { shape: [n, n], backend: 'wasm' });
  const db = tensor(bv, { shape: [n, n], backend: 'wasm' });
  const t = timeRounds({
    raw: () => tf.matMul(ra, rb).dispose(),
    ddopt: () => matmul(da, db).dispose(),
  });
  const gf = (ms: number) => ((2 * n ** 3) / (ms * 1e6)).toFixed(1);
  const pct = (a: number, b: number) => `${((a / b - 1) * 100).toFixed(1)}%`;
  const raw = t.raw!.best;
  const dd = t.ddopt!.best;
  console.log(
    `${String(n).padEnd(6)}${raw.toFixed(3).padStart(16)}${dd.toFixed(3).padStart(15)}${pct(dd, raw).padStart(10)}${gf(raw).padStart(13)}${gf(dd).padStart(15)}  (${pct(t.ddopt!.median, t.raw!.median)})`,
  );
  tf.dispose([ra, rb]);
  da.dispose();
  db.dispose();
}
