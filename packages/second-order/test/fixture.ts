// The PyTorch fixture (fixtures/record_torch.py) and the problems it was recorded on, written again
// with ddopt ops.
import { readFileSync } from 'node:fs';
import { type Tensor, abs, add, exp, log1p, logSoftmax, matmul, maximum, mean, mul, neg, oneHot, reshape, slice, square, sub, sum, tanh, tensor, treeFlatten, treeLeaves, treeUnflatten } from '@ddopt/tensor';

interface CurvatureProblem {
  kind: 'ce' | 'mse';
  x: number[][];
  target: number[] | number[][];
  params: Record<'W1' | 'b1' | 'W2' | 'b2', number[] | number[][]>;
  size: number;
  loss: number;
  hessian: number[][];
  v: number[];
  hv: number[];
  gv: number[];
  fv: number[];
  hessianEigenvalues: number[];
  ggnEigenvalues: number[];
  fisherEigenvalues: number[];
  w2BlockEigenvalues: number[];
  trace: number;
  diagonal: number[];
}

export const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch_second_order.json', import.meta.url), 'utf8')) as {
  torch: string;
  curvature: { ce: CurvatureProblem; mse: CurvatureProblem };
  pyhessian: any;
  lbfgs: any;
  logregMinimizer: { w: number[]; b: number[]; loss: number };
  adahessian: any;
};

export type Mlp = { W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor };

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });

/** The fixture's MLP problem: params, net, loss of the outputs, and their composition. */
export function mlpProblem(kind: 'ce' | 'mse') {
  const p = fixture.curvature[kind];
  const x = f64(p.x);
  const params: Mlp = { W1: f64(p.params.W1), b1: f64(p.params.b1), W2: f64(p.params.W2), b2: f64(p.params.b2) };
  const net = (q: Mlp): Tensor => add(matmul(tanh(add(matmul(x, q.W1), q.b1)), q.W2), q.b2);
  const k = (p.params.b2 as number[]).length;
  const target = kind === 'ce' ? oneHot(tensor(p.target as number[], { dtype: 'int32' }), k, 'float64') : f64(p.target as number[][]);
  const loss =
    kind === 'ce'
      ? (o: Tensor): Tensor => neg(mean(sum(mul(logSoftmax(o, -1), target), { axis: 1 })))
      : (o: Tensor): Tensor => mul(mean(sum(square(sub(o, target)), { axis: 1 })), 0.5);
  const f = (q: Mlp): Tensor => loss(net(q));
  return { data: p, params, net, loss, f };
}

/** The leaves of a pytree as one number array, in treeFlatten order. */
export function flatValues(tree: unknown): number[] {
  return treeLeaves(tree).flatMap((t) => Array.from(t.dataSync()));
}

/** A flat number array as a pytree shaped like `like` (float64). */
export function unflat<P>(like: P, values: readonly number[]): P {
  const { leaves, def } = treeFlatten(like);
  let at = 0;
  const parts = leaves.map((l) => {
    const t = tensor(values.slice(at, at + l.size), { shape: l.shape, dtype: 'float64' });
    at += l.size;
    return t;
  });
  if (at !== values.length) throw new Error(`unflat: ${values.length} values for ${at} entries`);
  return treeUnflatten<P>(def, parts);
}

/** max |a − b| / max |b|: the relative error the tests report. */
export function relErr(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`relErr: lengths ${a.length} and ${b.length}`);
  let m = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return m / Math.max(s, Number.MIN_VALUE);
}

/** Eigenvalues sorted by decreasing magnitude. */
export function byMagnitude(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => Math.abs(b) - Math.abs(a));
}

/** The L-BFGS fixture's problems: Rosenbrock in n dimensions and the L2-regularised logistic regression. */
export function lbfgsProblem(name: string): (p: any) => Tensor {
  if (name.startsWith('rosenbrock')) {
    return (p: { x: Tensor }) => {
      const n = p.x.shape[0]!;
      const head = slice(p.x, [0], [n - 1]);
      const tail = slice(p.x, [1], [n - 1]);
      return add(sum(square(sub(1, head))), mul(sum(square(sub(tail, square(head)))), 100));
    };
  }
  const { x, y, l2 } = fixture.lbfgs.logreg as { x: number[][]; y: number[]; l2: number };
  const X = tensor(x, { dtype: 'float64' });
  const Y = tensor(y, { dtype: 'float64' });
  return (p: { w: Tensor; b: Tensor }) => {
    const z = add(reshape(matmul(X, reshape(p.w, [5, 1])), [x.length]), p.b);
    // softplus(z) − y·z as max(z, 0) + log1p(exp(−|z|)) − y·z, as the recording script writes it
    const per = sub(add(maximum(z, 0), log1p(exp(neg(abs(z))))), mul(Y, z));
    return add(mean(per), mul(sum(square(p.w)), 0.5 * l2));
  };
}
