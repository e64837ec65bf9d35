import { type Tensor, bind, isFloat, tensor, treeUnflatten } from '@ddopt/tensor';
import { checkOptions, fmtShape, fmtValue, option } from '@ddopt/tensor/validate';
import { NoJvpRuleError } from './errors.js';
import { argnumList, record, regroup } from './grad.js';
import { jvp } from './jvp.js';
import { outermost } from './scope.js';
import { type Flat, flat } from './tree.js';
import { vmapCall } from './vmap.js';

/** Options of `jacrev`, `jacfwd` and `hessian`. */
export interface JacobianOptions {
  /** Which positional arguments to differentiate (default 0); an array gives, per output leaf, an array of Jacobians. */
  argnums?: number | readonly number[];
}

const JACOBIAN_OPTIONS = { argnums: option.any<number | readonly number[]>() };

function checkJacobianOptions(op: string, options: JacobianOptions | undefined): number | readonly number[] {
  const o = checkOptions(op, options, JACOBIAN_OPTIONS);
  const a = o.argnums ?? 0;
  if (typeof a !== 'number' && !Array.isArray(a)) throw new TypeError(`${op}: argnums must be an argument index or an array of them, got ${fmtValue(a)}`);
  return a;
}

/**
 * The identity as a batch of basis vectors split over `leaves`: per leaf, a tensor
 * [total, ...leaf.shape] whose row `offset + i` is the i-th basis vector of that leaf.
 */
function basis(leaves: readonly Tensor[]): Tensor[] {
  const total = leaves.reduce((n, x) => n + x.size, 0);
  let offset = 0;
  return leaves.map((x) => {
    const v = x.dtype === 'float64' ? new Float64Array(total * x.size) : new Float32Array(total * x.size);
    for (let i = 0; i < x.size; i++) v[(offset + i) * x.size + i] = 1;
    offset += x.size;
    return tensor(v, { shape: [total, ...x.shape], dtype: x.dtype, backend: x.backend });
  });
}

function assertFloatLeaves(op: string, what: string, f: Flat): void {
  f.leaves.forEach((x, k) => {
    if (!isFloat(x.dtype)) throw new TypeError(`${op}: ${f.paths[k]} has dtype ${x.dtype}; only float ${what} have a Jacobian`);
  });
  const total = f.leaves.reduce((n, x) => n + x.size, 0);
  if (total === 0) throw new RangeError(`${op}: the ${what} have no entries (${f.leaves.map((x) => fmtShape(x.shape)).join(', ') || 'no tensors'}), so the Jacobian is empty`);
}

/** Rows [from, from + rows) of a batch `g` [total, ...], as `shape`. */
function rows(g: Tensor, from: number, count: number, shape: readonly number[]): Tensor {
  const part = count === g.shape[0] ? g : bind('slice', [g], { begin: g.shape.map((_, i) => (i === 0 ? from : 0)), size: g.shape.map((d, i) => (i === 0 ? count : d)) });
  return bind('reshape', [part], { shape: [...shape] });
}

/**
 * Assembles the result: the output's pytree, each leaf replaced by the Jacobian blocks with
 * respect to the differentiated arguments (one pytree, or an array of them for array argnums).
 */
function assemble(outs: Flat, wrt: readonly Flat[], block: (j: number, k: number) => Tensor, many: boolean): unknown {
  const perOut = outs.leaves.map((_, j) => {
    const blocks: Tensor[] = [];
    let k = 0;
    for (const w of wrt) for (let i = 0; i < w.leaves.length; i++) blocks.push(block(j, k++));
    const grouped = regroup(wrt, blocks);
    return many ? grouped : grouped[0];
  });
  return treeUnflatten(outs.def, perOut as Tensor[]);
}

/**
 * The Jacobian of `f` by reverse mode: one pass of `f`, then every pullback at once (the
 * basis cotangents as one batch, under vmap). Takes and returns pytrees: each output leaf
 * becomes the argument's pytree (an array of them for array `argnums`) of blocks shaped
 * [...outLeaf, ...inLeaf].
 */
export function jacrev<A extends unknown[]>(f: (...args: A) => unknown, options?: JacobianOptions): (...args: A) => any {
  const argnums = checkJacobianOptions('jacrev', options);
  return (...args: A) =>
    outermost(() => {
      const nums = argnumList('jacrev', argnums, args.length);
      const { level, watched, out } = record('jacrev', f, args, nums);
      const outs = flat(out, 'output');
      assertFloatLeaves('jacrev', 'outputs', outs);
      const seeds = basis(outs.leaves);
      const grads = vmapCall(
        { op: 'jacrev', leafAxes: [seeds.map(() => 0)], outAxes: 0, broadcastUnbatched: true },
        (cts: Tensor[]) => level.backward(outs.leaves, cts, watched.wrt),
        [seeds],
        [flat(seeds, 'cotangents')],
      ) as Tensor[];
      const offsets = outs.leaves.map((_, j) => outs.leaves.slice(0, j).reduce((n, y) => n + y.size, 0));
      return assemble(outs, watched.flats, (j, k) => rows(grads[k]!, offsets[j]!, outs.leaves[j]!.size, [...outs.leaves[j]!.shape, ...watched.wrt[k]!.shape]), typeof argnums !== 'number');
    });
}

/**
 * The Jacobian of `f` by forward mode: one pass of `f` pushing every basis tangent at once (as
 * one batch, under vmap). Pytrees in and out as for `jacrev`.
 */
export function jacfwd<A extends unknown[]>(f: (...args: A) => unknown, options?: JacobianOptions): (...args: A) => any {
  const argnums = checkJacobianOptions('jacfwd', options);
  return (...args: A) =>
    outermost(() => {
      const nums = argnumList('jacfwd', argnums, args.length);
      const ins = nums.map((n) => flat(args[n], `args[${n}]`));
      const wrt = ins.flatMap((x) => x.leaves);
      assertFloatLeaves('jacfwd', 'inputs', { leaves: wrt, paths: ins.flatMap((x) => x.paths), def: ins[0]!.def });
      const seeds = basis(wrt);
      const g = (...diff: unknown[]) => {
        const full = [...args] as unknown[];
        nums.forEach((n, i) => {
          full[n] = diff[i];
        });
        return f(...(full as A));
      };
      let outs: Flat | undefined;
      const tangents = vmapCall(
        { op: 'jacfwd', leafAxes: [seeds.map(() => 0)], outAxes: 0, broadcastUnbatched: true },
        (ts: Tensor[]) => {
          let at = 0;
          const dirs = ins.map((x) => {
            const part = ts.slice(at, at + x.leaves.length);
            at += x.leaves.length;
            return treeUnflatten(x.def, part);
          });
          const [y, ty] = jvp(g, nums.map((n) => args[n]), dirs);
          outs = flat(y, 'output');
          return flat(ty, 'output').leaves;
        },
        [seeds],
        [flat(seeds, 'tangents')],
      ) as Tensor[];
      const o = outs!;
      o.leaves.forEach((y, j) => {
        if (!isFloat(y.dtype)) throw new TypeError(`jacfwd: ${o.paths[j]} has dtype ${y.dtype}; only float outputs have a Jacobian`);
      });
      const offsets = wrt.map((_, k) => wrt.slice(0, k).reduce((n, x) => n + x.size, 0));
      return assemble(
        o,
        ins,
        (j, k) => {
          const x = wrt[k]!;
          const y = o.leaves[j]!;
          const block = rows(tangents[j]!, offsets[k]!, x.size, [...x.shape, ...y.shape]);
          const perm = [...y.shape.map((_, i) => x.rank + i), ...x.shape.map((_, i) => i)];
          return perm.every((p, i) => p === i) ? block : bind('transpose', [block], { perm });
        },
        typeof argnums !== 'number',
      );
    });
}

/** The Jacobian of `f` (reverse mode; see `jacrev`). */
export const jacobian = jacrev;

/**
 * The Hessian of `f`: forward over reverse (`jacfwd(jacrev(f))`), every Hessian-vector product
 * in one batched pass; reverse over reverse where some op has no JVP rule (a customVjp). For a
 * pytree argument the result nests: `h.a.b` is the block ∂²f/∂a∂b, shaped [...out, ...a, ...b].
 */
export function hessian<A extends unknown[]>(f: (...args: A) => unknown, options?: JacobianOptions): (...args: A) => any {
  checkJacobianOptions('hessian', options);
  const forwardOverReverse = jacfwd(jacrev(f, options), options);
  const reverseOverReverse = jacrev(jacrev(f, options), options);
  return (...args: A) => {
    try {
      return forwardOverReverse(...args);
    } catch (e) {
      if (e instanceof NoJvpRuleError) return reverseOverReverse(...args);
      throw e;
    }
  };
}
