import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cpuThreads } from '@ddopt/tensor';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../python/torch_peer.py', import.meta.url));

/**
 * Runs the PyTorch peer script for `suite` on as many threads as ddopt's cpu backend uses, with
 * `extra` arguments appended; `skipped` says why when torch cannot be used.
 */
export function runTorchPeer<T>(suite: 'tensor' | 'autograd' | 'cputime' | 'sweeps', quick: boolean, extra: string[] = []): { result?: T; skipped?: string } {
  if (!existsSync(PYTHON)) return { skipped: `${PYTHON} not found` };
  const args = [SCRIPT, suite, '--threads', String(cpuThreads()), ...(quick ? ['--quick'] : []), ...extra];
  // The BLAS's own thread pool ignores torch.set_num_threads: pinned by the environment too.
  const threads = String(cpuThreads());
  const env = { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads };
  const p = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: 300_000, env });
  if (p.error) return { skipped: `${PYTHON} failed to start: ${p.error.message}` };
  if (p.status === 3) return { skipped: p.stderr.trim() };
  if (p.status !== 0) return { skipped: `torch_peer.py exited with status ${p.status}: ${p.stderr.trim().split('\n').pop()}` };
  return { result: JSON.parse(p.stdout) as T };
}

/** What torch_peer.py reports about the BLAS under torch's matmul. */
export interface TorchBlas {
  libraries: string[];
  openblasThreads?: number;
  openblasConfig?: string;
}

/** One line on the BLAS the PyTorch figures ran on (its library, kernel and thread count). */
export function blasNote(blas: TorchBlas | undefined): string {
  if (!blas) return 'PyTorch BLAS: not reported.';
  const lib = blas.libraries.map((l) => l.split('/').pop()).join(', ') || 'none found';
  return blas.openblasConfig
    ? `PyTorch's matmul on ${blas.openblasConfig} with ${blas.openblasThreads} BLAS thread(s) (${lib}).`
    : `PyTorch's BLAS: ${lib} (not OpenBLAS: its thread count is not checked; the reference BLAS is no peer).`;
}

/** The subset of tfjs-core the raw peer calls. */
export interface RawTf {
  getBackend(): string;
  tensor(values: Float32Array, shape: number[], dtype: 'float32'): RawTfTensor;
  matMul(a: RawTfTensor, b: RawTfTensor): RawTfTensor;
  conv2d(x: RawTfTensor, filter: RawTfTensor, strides: number, pad: number | 'same' | 'valid'): RawTfTensor;
  tidy<T>(fn: () => T): T;
  memory(): { numTensors: number };
}
export interface RawTfTensor {
  dataSync(): ArrayLike<number>;
  dispose(): void;
}

/** How many threads tfjs-backend-wasm runs on (1 in Node: it reports no multithread support there). */
export function rawTfjsThreads(): number | undefined {
  try {
    const wasm = createRequire(import.meta.url)('@tensorflow/tfjs-backend-wasm') as { getThreadsCount?: () => number };
    return wasm.getThreadsCount?.();
  } catch {
    return undefined;
  }
}

/**
 * tfjs-core through its CommonJS entry: the same module instance ddopt's wasm backend loaded
 * (pnpm links one copy), so after `useBackend('wasm')` it runs on tfjs-backend-wasm too.
 */
export function rawTfjs(): RawTf {
  const require = createRequire(import.meta.url);
  const tf = require('@tensorflow/tfjs-core') as RawTf;
  if (tf.getBackend() !== 'wasm') throw new Error(`raw tfjs peer: expected tfjs's current backend to be wasm, got ${tf.getBackend()}`);
  return tf;
}
