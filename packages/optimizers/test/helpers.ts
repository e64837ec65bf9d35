import { type PyTree, type Tensor, tensor, treeLeaves } from '@ddopt/tensor';
import { type GradientTransformation, applyUpdates, evalPoint } from '../src/index.js';

/** A float64 tensor. */
export const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });

/** All leaf values of a pytree, flattened, as plain numbers. */
export function values(tree: unknown): number[] {
  return treeLeaves(tree).flatMap((t: Tensor) => Array.from(t.dataSync()));
}

/** Runs `steps` steps of `opt` with gradients taken at its evalPoint; returns the params after each step. */
export function trajectory<P extends PyTree>(opt: GradientTransformation<any>, params: P, grad: (p: P) => P, steps: number): P[] {
  let state = opt.init(params);
  const out: P[] = [];
  for (let t = 0; t < steps; t++) {
    const g = grad(evalPoint(opt, params, state));
    const r = opt.update(g, state, params);
    state = r.state;
    params = applyUpdates(params, r.updates);
    out.push(params);
  }
  return out;
}

/** Largest absolute difference between two equal-length number arrays. */
export function maxDiff(a: number[], b: number[]): number {
  if (a.length !== b.length) throw new Error(`maxDiff: lengths ${a.length} and ${b.length}`);
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
}
