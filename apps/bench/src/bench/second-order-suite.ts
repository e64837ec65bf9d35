// `ddopt bench second-order`: the targets of @ddopt/second-order's issue, beside PyTorch in the same run —
// a Hessian-vector product through hessianOperator against hvp itself (≤ 1.2×), the top 5 Hessian
// eigenvalues by Lanczos against power iteration (< ½ the products), and one L-BFGS step against
// one torch.optim.LBFGS step on a logistic regression (≤ 2×).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hvp } from '@ddopt/autograd';
import { hessianEigenvalues, hessianOperator, lbfgs } from '@ddopt/second-order';
import { type Tensor, abs, add, cpuThreads, exp, log1p, logSoftmax, matmul, maximum, mean, mul, neg, oneHot, prng, randint, randn, reshape, splitKey, square, sub, sum, tanh, tensor, trace, withBackend, zeros } from '@ddopt/tensor';
import { median, timeInterleaved, timeIt } from './timing.js';
import type { BenchOptions, SuiteResult } from './types.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../python/torch_second_order_peer.py', import.meta.url));

interface TorchResult {
  torch: string;
  threads: number;
  hvp: number;
  lbfgs: Record<'none' | 'strongWolfe', { ms: number; funcEvals: number }>;
}

function torchPeer(quick: boolean): { result?: TorchResult; skipped?: string } {
  if (!existsSync(PYTHON)) return { skipped: `${PYTHON} not found` };
  // OpenBLAS's own thread pool ignores torch.set_num_threads: pinned by the environment.
  const threads = String(cpuThreads());
  const env = { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads };
  const p = spawnSync(PYTHON, [SCRIPT, '--threads', threads, ...(quick ? ['--quick'] : [])], { encoding: 'utf8', timeout: 300_000, env });
  if (p.error) return { skipped: `${PYTHON} failed to start: ${p.error.message}` };
  if (p.status === 3) return { skipped: p.stderr.trim() };
  if (p.status !== 0) return { skipped: `torch_second_order_peer.py exited with status ${p.status}: ${p.stderr.trim().split('\n').pop()}` };
  return { result: JSON.parse(p.stdout) as TorchResult };
}

type Params = { w: Tensor; b: Tensor }[];

function mlp(sizes: number[], batch: number, seed: number) {
  const [kp, kx, ky, kv] = splitKey(prng(seed), 4);
  const keys = splitKey(kp!, sizes.length - 1);
  const params: Params = keys.map((k, i) => ({ w: mul(randn(k, [sizes[i]!, sizes[i + 1]!], { dtype: 'float64' }), 1 / Math.sqrt(sizes[i]!)), b: zeros([sizes[i + 1]!], 'float64') }));
  const x = randn(kx!, [batch, sizes[0]!], { dtype: 'float64' });
  const y = oneHot(randint(ky!, [batch], 0, sizes[sizes.length - 1]!), sizes[sizes.length - 1]!, 'float64');
  const f = (p: Params): Tensor => {
    let h = x;
    p.forEach(({ w, b }, i) => {
      h = add(matmul(h, w), b);
      if (i < p.length - 1) h = tanh(h);
    });
    return neg(mean(sum(mul(logSoftmax(h, -1), y), { axis: 1 })));
  };
  const v = splitKey(kv!, params.length).map((k, i) => ({ w: randn(k, params[i]!.w.shape, { dtype: 'float64' }), b: randn(splitKey(k, 1)[0]!, params[i]!.b.shape, { dtype: 'float64' }) }));
  return { params, f, v };
}

/** The logistic regression of the torch peer: x_ij = sin(0.37i + 1.3j), labels from Σ_j x_ij cos j > 0, w₀ = 0.01 cos j. */
function logreg(n: number, d: number) {
  const xs = new Float64Array(n * d);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      xs[i * d + j] = Math.sin(0.37 * i + 1.3 * j);
      s += xs[i * d + j]! * Math.cos(j);
    }
    ys[i] = s > 0 ? 1 : 0;
  }
  const x = tensor(xs, { shape: [n, d], dtype: 'float64' });
  const y = tensor(ys, { dtype: 'float64' });
  const w0 = { w: tensor(Float64Array.from({ length: d }, (_, j) => 0.01 * Math.cos(j)), { dtype: 'float64' }) };
  const f = (p: { w: Tensor }) => {
    const z = reshape(matmul(x, reshape(p.w, [d, 1])), [n]);
    return add(mean(sub(add(maximum(z, 0), log1p(exp(neg(abs(z))))), mul(y, z))), mul(sum(square(p.w)), 0.5e-3));
  };
  return { f, w0 };
}

/** Runs the suite on ddopt's cpu backend in float64. */
export async function secondOrderSuite({ quick }: BenchOptions): Promise<SuiteResult> {
  return withBackend('cpu', () => {
    const notes: string[] = [`ddopt's cpu backend, float64, ${cpuThreads()} thread(s) for large products.`];
    const torch = torchPeer(quick);
    if (torch.skipped) notes.push(`PyTorch skipped: ${torch.skipped}`);
    else notes.push(`PyTorch ${torch.result!.torch} on ${torch.result!.threads} thread(s), float64, measured by python/torch_second_order_peer.py in this run (HVP by double backward).`);

    // 1. HVP through the operator against hvp itself, interleaved so load changes hit both alike
    const sizes = quick ? [196, 64, 10] : [784, 256, 256, 10];
    const batch = quick ? 64 : 128;
    const m = mlp(sizes, batch, 0);
    const op = hessianOperator(m.f, m.params);
    // both orders, so the allocations of one call are not always collected during the other
    const timing = { minSeconds: quick ? 1 : 3, warmup: 10, maxReps: 500 };
    const first = timeInterleaved({ hvp: () => void hvp(m.f, m.params, m.v), operator: () => void op.apply(m.v) }, timing);
    const second = timeInterleaved({ operator: () => void op.apply(m.v), hvp: () => void hvp(m.f, m.params, m.v) }, timing);
    const hvpMs = median([...first.hvp, ...second.hvp]);
    const opMs = median([...first.operator, ...second.operator]);
    const hvpRatio = opMs / hvpMs;

    // 2. top 5 by power iteration and by Lanczos: products (counted, and checked by trace) and time
    const small = mlp(quick ? [196, 16, 10] : [196, 32, 10], quick ? 128 : 256, 1);
    const perProduct = trace(() => hvp(small.f, small.params, small.v)).counts.matmul!;
    const runEigen = (method: 'power' | 'lanczos') => {
      const t0 = performance.now();
      const t = trace(() => hessianEigenvalues(small.f, small.params, { k: 5, method, seed: 0 }));
      return { ...t.value, ms: performance.now() - t0, traced: t.counts.matmul! / perProduct };
    };
    const power = runEigen('power');
    const lz = runEigen('lanczos');
    const productRatio = lz.products / power.products;
    const eigGap = Math.max(...power.eigenvalues.map((e, i) => Math.abs(e - lz.eigenvalues[i]!) / Math.abs(lz.eigenvalues[i]!)));

    // 3. one L-BFGS step (20 iterations, tolerances 0) against torch.optim.LBFGS on the same data
    const [n, d] = quick ? [500, 50] : [2000, 100];
    const lr = logreg(n, d);
    const lbfgsRows: (string | number)[][] = [];
    const lbfgsTimes: Record<string, { ms: number; funcEvals: number; torchMs?: number; ratio?: number }> = {};
    for (const ls of ['none', 'strongWolfe'] as const) {
      const opt = lbfgs({ maxIter: 20, toleranceGrad: 0, toleranceChange: 0, lineSearch: ls });
      let evals = 0;
      const { ms } = timeIt(
        () => {
          evals = opt.step(lr.f, lr.w0, opt.init(lr.w0)).state.funcEvals;
        },
        { minSeconds: quick ? 0.5 : 2 },
      );
      const t = torch.result?.lbfgs[ls];
      lbfgsTimes[ls] = { ms, funcEvals: evals, ...(t ? { torchMs: t.ms, ratio: ms / t.ms } : {}) };
      lbfgsRows.push([`L-BFGS step, line search ${ls}`, `${ms.toFixed(2)} ms (${evals} evaluations)`, t ? `${t.ms.toFixed(2)} ms (${t.funcEvals} evaluations)` : '—', t ? (ms / t.ms).toFixed(2) : '—', '≤ 2', t ? (ms / t.ms <= 2 ? 'met' : 'missed') : '—']);
    }

    const tables: SuiteResult['tables'] = [
      {
        title: `second-order targets (MLP ${sizes.join('-')}, batch ${batch}; eigenvalues on MLP ${quick ? '196-16-10' : '196-32-10'}; logistic regression n = ${n}, d = ${d})`,
        headers: ['measure', 'ddopt', 'PyTorch', 'ratio', 'target', 'status'],
        rows: [
          ['HVP through hessianOperator vs hvp', `${opMs.toFixed(2)} vs ${hvpMs.toFixed(2)} ms`, torch.result ? `${torch.result.hvp.toFixed(2)} ms (double backward)` : '—', hvpRatio.toFixed(3), '≤ 1.2', hvpRatio <= 1.2 ? 'met' : 'missed'],
          ['top-5 eigenvalues: Lanczos vs power products', `${lz.products} vs ${power.products} (trace: ${lz.traced} vs ${power.traced}); ${lz.ms.toFixed(0)} vs ${power.ms.toFixed(0)} ms`, '—', productRatio.toFixed(3), '< 0.5', productRatio < 0.5 ? 'met' : 'missed'],
          ...lbfgsRows,
        ],
      },
    ];
    notes.push(`Power iteration's and Lanczos's top 5 differ by at most ${eigGap.toExponential(1)} relative (power iteration stops at PyHessian's tol 1e-3).`);
    return {
      suite: 'second-order',
      tables,
      notes,
      measurements: { hvp: { hvpMs, opMs, ratio: hvpRatio, torchMs: torch.result?.hvp }, eigen: { power: { products: power.products, ms: power.ms }, lanczos: { products: lz.products, ms: lz.ms }, productRatio, eigGap }, lbfgs: lbfgsTimes },
    };
  });
}
