// Imports every package's every `exports` subpath from its built output, once as ESM and once
// as CJS, in fresh Node processes (no bundler, no source condition), and checks both expose the
// same names. tfjs's users keep hitting broken Node imports; ddopt's must not.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// A small computation per entry, run on the loaded module `m` in both formats: names alone do
// not catch a build that exports the right names bound to the wrong values.
const SMOKE = {
  '@ddopt/tensor': 'if (!m.isTensor(m.tensor([1, 2])) || m.sum(m.tensor([1, 2])).item() !== 3) throw new Error("tensor smoke failed");',
  '@ddopt/tensor/validate': 'if (m.fmtShape([2, 3]) !== "[2, 3]" || m.convOutputSize("f", [5, 5], [3, 3], { stride: [1, 1], padding: [[0, 0], [0, 0]], dilation: [1, 1] })[0] !== 3) throw new Error("validate smoke failed");',
  ddopt: 'const g = m.grad((x) => m.sum(m.mul(x, x)))(m.tensor([3], { dtype: "float64" })); if (g.item() !== 6 || typeof m.Conv2d !== "function" || m.conv2d === m.Conv2d || typeof m.adam !== "function") throw new Error("ddopt smoke failed");',
  '@ddopt/autograd': 'const t = require_or_import_tensor; const g = m.grad((x) => t.sum(t.mul(x, x)))(t.tensor([3], { dtype: "float64" })); if (g.item() !== 6) throw new Error("grad smoke failed");',
  '@ddopt/second-order': 'const t = require_or_import_tensor; const x = t.tensor([1, 2], { dtype: "float64" }); const hv = m.hessianOperator((w) => t.sum(t.mul(w, w)), x).apply(x).toArray(); if (hv[0] !== 2 || hv[1] !== 4) throw new Error("second-order smoke failed");',
  // runSweep on the built worker file (dist/sweep-worker.js or .cjs), a registry experiment that declares no sweep is refused.
  '@ddopt/experiments/node': 'if (typeof m.runSweep !== "function" || m.SWEEP_CHECKPOINT_FORMAT !== "ddopt-sweep-job/1") throw new Error("experiments/node smoke failed");',
};
let failures = 0;
let checked = 0;

function names(cwd, kind, specifier) {
  const load = (spec) => (kind === 'esm' ? `await import(${JSON.stringify(spec)})` : `require(${JSON.stringify(spec)})`);
  const smoke = (SMOKE[specifier] ?? '').replace('require_or_import_tensor', load('@ddopt/tensor'));
  const code = `const m = ${load(specifier)}; ${smoke} console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort()));`;
  const args = kind === 'esm' ? ['--input-type=module', '-e', code] : ['--input-type=commonjs', '-e', code];
  return JSON.parse(execFileSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop());
}

for (const dir of readdirSync(join(root, 'packages'))) {
  const cwd = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  for (const sub of Object.keys(pkg.exports)) {
    if (sub.endsWith('package.json')) continue;
    const specifier = sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
    try {
      const esm = names(cwd, 'esm', specifier);
      const cjs = names(cwd, 'cjs', specifier);
      if (esm.length === 0) throw new Error('ESM build exports nothing');
      if (JSON.stringify(esm) !== JSON.stringify(cjs)) {
        throw new Error(`ESM and CJS builds export different names:\n  esm: ${esm.join(', ')}\n  cjs: ${cjs.join(', ')}`);
      }
      checked++;
      console.log(`ok   ${specifier} (${esm.length} exports, ESM and CJS)`);
    } catch (e) {
      failures++;
      console.error(`FAIL ${specifier}: ${(e.stderr || e.message).toString().split('\n').slice(0, 6).join('\n     ')}`);
    }
  }
}
console.log(`exports check: ${checked} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
