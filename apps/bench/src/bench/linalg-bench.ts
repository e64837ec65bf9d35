// The linear-algebra rows of `ddopt bench tensor`: pinv (2000×1000) and eigh (1000×1000) in
// float64 on the cpu backend, beside NumPy and PyTorch (LAPACK) measured by python/linalg_peer.py
// in the same run on the same thread count.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { add, cpuThreads, eigh, matmul, pinv, prng, randn, splitKey, transpose } from '@ddopt/tensor';
import { timeIt } from './timing.js';
import type { SuiteResult } from './types.js';

type Table = SuiteResult['tables'][number];

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../python/linalg_peer.py', import.meta.url));

interface LinalgPeer {
  numpy: string;
  torch?: string;
  threads: number;
  pinv: { m: number; n: number; numpyMs: number; torchMs?: number };
  eigh: { n: number; numpyMs: number; torchMs?: number };
  torchMatmul512Float64Gflops?: number;
}

function runPeer(quick: boolean): { result?: LinalgPeer; skipped?: string } {
  if (!existsSync(PYTHON)) return { skipped: `${PYTHON} not found` };
  const threads = String(cpuThreads());
  const env = { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads };
  const p = spawnSync(PYTHON, [SCRIPT, '--threads', threads, ...(quick ? ['--quick'] : [])], { encoding: 'utf8', timeout: 600_000, env });
  if (p.error) return { skipped: `${PYTHON} failed to start: ${p.error.message}` };
  if (p.status === 3) return { skipped: p.stderr.trim() };
  if (p.status !== 0) return { skipped: `linalg_peer.py exited with status ${p.status}: ${p.stderr.trim().split('\n').pop()}` };
  return { result: JSON.parse(p.stdout) as LinalgPeer };
}

/** Each timing the faster of two peer runs. */
function fasterOf(a: LinalgPeer, b: LinalgPeer): LinalgPeer {
  const min = (x: number | undefined, y: number | undefined) => (x === undefined ? y : y === undefined ? x : Math.min(x, y));
  return {
    ...a,
    pinv: { ...a.pinv, numpyMs: Math.min(a.pinv.numpyMs, b.pinv.numpyMs), torchMs: min(a.pinv.torchMs, b.pinv.torchMs) },
    eigh: { ...a.eigh, numpyMs: Math.min(a.eigh.numpyMs, b.eigh.numpyMs), torchMs: min(a.eigh.torchMs, b.eigh.torchMs) },
    torchMatmul512Float64Gflops: Math.max(a.torchMatmul512Float64Gflops ?? 0, b.torchMatmul512Float64Gflops ?? 0) || undefined,
  };
}

const fmt = (ms: number | undefined) => (ms === undefined ? '—' : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
/** Time of the peer over time of ddopt: above 1× ddopt is faster. */
const speed = (peer: number | undefined, ours: number) => (peer === undefined ? '—' : `${(peer / ours).toFixed(2)}×`);

/** Times pinv and eigh on the cpu backend and runs the peers; one table, notes and raw figures. */
export function linalgBench(quick: boolean): { table: Table; notes: string[]; measurements: Record<string, unknown> } {
  const [pm, pn] = quick ? [400, 200] : [2000, 1000];
  const en = quick ? 200 : 1000;
  const [ka, ks] = splitKey(prng(2), 2);
  const a = randn(ka!, [pm, pn], { dtype: 'float64' });
  const g = randn(ks!, [en, en], { dtype: 'float64' });
  const s = add(g, transpose(g));
  // The peers run before and after ddopt's timings and the faster of each pair is kept: a load
  // change on a shared machine between the two sides then cannot favour ddopt.
  const before = runPeer(quick);
  const slow = { warmup: quick ? 1 : 0, minReps: quick ? 3 : 2, minSeconds: 0 };
  const pinvMs = timeIt(() => void pinv(a).dataSync(), slow).ms;
  const eighMs = timeIt(() => void eigh(s).vectors.dataSync(), slow).ms;
  // Sanity of what was timed: ‖a·pinv(a)·a − a‖ relative, printed with the figures.
  const p = pinv(a);
  const back = matmul(matmul(a, p), a).dataSync();
  const ad = a.dataSync();
  let num = 0;
  let den = 0;
  for (let i = 0; i < ad.length; i++) {
    num += (back[i]! - ad[i]!) ** 2;
    den += ad[i]! ** 2;
  }
  const after = runPeer(quick);
  const peer = before.result && after.result ? { result: fasterOf(before.result, after.result) } : after.result ? after : before;
  const r = peer.result;
  const notes = [
    `linalg: ddopt's pinv and eigh run plain TypeScript with the large products on the cpu backend's gemm (${cpuThreads()} thread(s)); ‖a·pinv(a)·a − a‖/‖a‖ = ${Math.sqrt(num / den).toExponential(1)}.`,
  ];
  if (peer.skipped) notes.push(`linalg peers skipped: ${peer.skipped}`);
  else {
    notes.push(`linalg peers: NumPy ${r!.numpy}${r!.torch ? ` and PyTorch ${r!.torch}` : ''} (LAPACK) on ${r!.threads} thread(s), measured by python/linalg_peer.py before and after ddopt's timings in this run (the faster of the two kept).`);
    if (r!.torchMatmul512Float64Gflops !== undefined) notes.push(`linalg peers' BLAS check: PyTorch float64 matmul n = 512 at ${r!.torchMatmul512Float64Gflops.toFixed(1)} GFLOP/s (the reference BLAS manages about 6).`);
  }
  const table: Table = {
    title: 'linalg float64: median ms (speed ratio: peer time / ddopt time)',
    headers: ['op', 'ddopt cpu', 'NumPy', 'PyTorch', 'ddopt / NumPy', 'ddopt / PyTorch'],
    rows: [
      [`pinv ${pm}×${pn}`, fmt(pinvMs), fmt(r?.pinv.numpyMs), fmt(r?.pinv.torchMs), speed(r?.pinv.numpyMs, pinvMs), speed(r?.pinv.torchMs, pinvMs)],
      [`eigh ${en}×${en}`, fmt(eighMs), fmt(r?.eigh.numpyMs), fmt(r?.eigh.torchMs), speed(r?.eigh.numpyMs, eighMs), speed(r?.eigh.torchMs, eighMs)],
    ],
  };
  return { table, notes, measurements: { pinvMs, eighMs, pinvShape: [pm, pn], eighN: en, threads: cpuThreads(), peer: r ?? { skipped: peer.skipped } } };
}
