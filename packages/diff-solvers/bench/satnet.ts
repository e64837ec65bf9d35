// Speed of the satnet layer per board: forward (mixing method) and forward + backward (the
// adjoint solve and dS), at the satnet-sudoku quick setting (4×4) and the reference's 9×9 setting.
// Run from the repository root:
//   node_modules/.bin/tsx --conditions=source packages/diff-solvers/bench/satnet.ts [--reps 5]
// Prints the best of `reps` runs (the machine may be shared) and the load average.
import { loadavg } from 'node:os';
import { valueAndGrad } from '@ddopt/autograd';
import { foldIn, mul, prng, sum, tensor, uniform } from '@ddopt/tensor';
import { satnet } from '../src/index.js';

const reps = Number(process.argv.includes('--reps') ? process.argv[process.argv.indexOf('--reps') + 1] : 5) || 5;
const settings = [
  { name: '4×4 (satnet-sudoku quick)', size: 4 as const, m: 64, aux: 32, k: 16, boards: 20 },
  { name: '9×9 (reference: m 600, aux 300, k 32)', size: 9 as const, m: 600, aux: 300, k: 32, boards: 4 },
];
for (const s of settings) {
  // Boards like SATNet's data: 44% of the cells given (one-hot digit bits), the others to fill.
  // The cost depends on the counts of inputs and outputs only, not on the digits.
  const n = s.size ** 3;
  const u = uniform(prng(1), [s.boards, s.size * s.size, 2]).dataSync();
  const bits = new Float32Array(s.boards * n);
  const mask = new Int32Array(s.boards * n);
  for (let c = 0; c < s.boards * s.size * s.size; c++) {
    if (u[2 * c]! >= 0.44) continue;
    mask.fill(1, c * s.size, (c + 1) * s.size);
    bits[c * s.size + Math.floor(u[2 * c + 1]! * s.size)] = 1;
  }
  const z = tensor(bits, { shape: [s.boards, n] });
  const isInput = tensor(mask, { shape: [s.boards, n], dtype: 'int32' });
  const layer = satnet({ n: s.size ** 3, m: s.m, aux: s.aux, k: s.k, seed: 0 });
  const { params } = layer.init(prng(2));
  let fwd = Number.POSITIVE_INFINITY;
  let both = Number.POSITIVE_INFINITY;
  let sweeps = 0;
  for (let r = 0; r < reps; r++) {
    const key = foldIn(prng(3), r);
    let t = performance.now();
    const sol = layer.solve(params, { z, isInput }, { key });
    fwd = Math.min(fwd, (performance.now() - t) / s.boards);
    sweeps = sol.sweeps.reduce((a, b) => a + b, 0) / s.boards;
    t = performance.now();
    valueAndGrad((p: typeof params) => sum(mul(layer.apply(p, { z, isInput }, { key }), 1)))(params);
    both = Math.min(both, (performance.now() - t) / s.boards);
  }
  console.log(`${s.name}: forward ${fwd.toFixed(2)} ms/board, forward + backward ${both.toFixed(2)} ms/board (backward ≈ ${(both - fwd).toFixed(2)} ms), ${sweeps.toFixed(1)} sweeps per board, best of ${reps}; load average ${loadavg()[0]!.toFixed(1)}`);
}
