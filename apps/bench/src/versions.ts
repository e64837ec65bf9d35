import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { cpuThreads, cpuWasm } from '@ddopt/tensor';

const require = createRequire(import.meta.url);
// Theory and the plotting library are the experiments package's dependencies, found from there.
const fromExperiments = createRequire(require.resolve('@ddopt/experiments/package.json'));

function versionOf(pkg: string, req: NodeRequire = require): string {
  // Look for <node_modules>/<pkg>/package.json directly: exports maps may hide the file.
  for (const dir of req.resolve.paths(pkg) ?? []) {
    const file = join(dir, pkg, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'not installed';
}

/** Versions of node, the ddopt packages and the libraries the report depends on, plus the machine and the cpu backend's threads and gemm. */
export function collectVersions(): Record<string, string> {
  const out: Record<string, string> = {
    node: process.version,
    machine: `${platform()} ${release()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    'cpu backend threads': String(cpuThreads()),
    'cpu backend gemm': cpuWasm() ? 'WebAssembly SIMD' : 'JavaScript',
  };
  for (const p of ['@ddopt/tensor', '@ddopt/autograd', '@ddopt/layers', '@ddopt/optimizers', '@ddopt/datasets', '@ddopt/experiments', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm']) {
    out[p] = versionOf(p);
  }
  for (const p of ['@ddopt/theory', '@observablehq/plot']) out[p] = versionOf(p, fromExperiments);
  return out;
}
