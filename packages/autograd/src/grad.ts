import { type Tensor, disposeOnThrow, isFloat, isTensor, onesLike, treeUnflatten } from '@ddopt/tensor';
import { withLevel } from './levels.js';
import { ReverseLevel } from './reverse.js';
import { outermost } from './scope.js';
import { type Flat, flat, sameStructure } from './tree.js';
import { checkArg, checkOptions, fmtShape, fmtValue, option } from '@ddopt/tensor/validate';

/** Options of `grad` and `valueAndGrad`. */
export interface GradOptions {
  /** Which positional arguments to differentiate (default 0); an array gives an array of gradients. */
  argnums?: number | readonly number[];
  /** `f` returns `[loss, aux]`; aux is passed through undifferentiated. */
  hasAux?: boolean;
}

/** @internal The argument positions `argnums` names, checked against the call. */
const GRAD_OPTIONS = {
  argnums: option.anyOf(option.int(0), option.arrayOf(option.int(0))),
  hasAux: option.boolean(),
};

/**
 * @internal Checks `f` and `grad`'s options when the transformation is built (not at its first
 * call). JAX's habit `grad(f, 1)` (argnums positionally) is refused with the call that means it.
 */
export function checkGradArgs(op: string, f: unknown, options: GradOptions | undefined): GradOptions {
  checkArg(op, 'f', option.fn(), f);
  return checkOptions(op, options, GRAD_OPTIONS, {
    hint: (v) => (typeof v === 'number' || Array.isArray(v) ? `argnums is an option: write ${op}(f, { argnums: ${fmtValue(v)} })` : typeof v === 'boolean' ? `write ${op}(f, { hasAux: ${v} })` : undefined),
  });
}

export function argnumList(op: string, argnums: number | readonly number[], nargs: number): number[] {
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  if (list.length === 0) throw new RangeError(`${op}: argnums is empty`);
  for (const i of list) {
    if (!Number.isInteger(i) || i < 0 || i >= nargs) throw new RangeError(`${op}: argnums ${JSON.stringify(argnums)} includes ${i}, but f was called with ${nargs} argument(s)`);
  }
  if (new Set(list).size !== list.length) throw new RangeError(`${op}: argnums ${JSON.stringify(argnums)} repeats an argument`);
  return list;
}

/** Replaces the chosen arguments by tracked aliases of their leaves; returns the new arguments and the flattenings. */
export function watchArgs(op: string, level: ReverseLevel, args: readonly unknown[], nums: readonly number[]): { args: unknown[]; flats: Flat[]; wrt: Tensor[] } {
  const out = [...args];
  const flats: Flat[] = [];
  const wrt: Tensor[] = [];
  for (const i of nums) {
    const f = flat(args[i], `args[${i}]`);
    if (f.leaves.length === 0) throw new TypeError(`${op}: argument ${i} holds no tensors to differentiate`);
    const aliases = f.leaves.map((x, k) => level.watch(x, `${op}: ${f.paths[k]}`));
    out[i] = treeUnflatten(f.def, aliases);
    flats.push({ ...f, leaves: aliases });
    wrt.push(...aliases);
  }
  return { args: out, flats, wrt };
}

type Watched = ReturnType<typeof watchArgs>;

/** Runs `f` on a new reverse level with arguments `nums` watched; returns the level, the watched arguments and f's result. */
export function record<R>(op: string, f: (...args: any[]) => R, args: readonly unknown[], nums: readonly number[]): { level: ReverseLevel; watched: Watched; out: R } {
  checkArg(op, 'f', option.fn(), f);
  let watched!: Watched;
  let out!: R;
  // The tape outlives this call (vjp's pullback, linearize's fJvp), so only a throwing f frees it.
  const level = disposeOnThrow(() =>
    withLevel(
      (parent) => new ReverseLevel(parent),
      (lv) => {
        watched = watchArgs(op, lv, args, nums);
        out = f(...watched.args);
        return lv;
      },
    ),
  );
  return { level, watched, out };
}

/** Regroups a flat list of gradients into one pytree per flattened argument. */
export function regroup(flats: readonly Flat[], grads: readonly Tensor[]): unknown[] {
  let at = 0;
  return flats.map((f) => {
    const part = grads.slice(at, at + f.leaves.length);
    at += f.leaves.length;
    return treeUnflatten(f.def, part);
  });
}

function assertScalar(op: string, out: unknown): asserts out is Tensor {
  if (!isTensor(out)) throw new TypeError(`${op}: f must return a scalar Tensor, got ${out === null ? 'null' : Array.isArray(out) ? 'an array (use hasAux for [loss, aux])' : typeof out}`);
  if (out.size !== 1) throw new RangeError(`${op}: f must return a scalar, got a tensor of shape ${fmtShape(out.shape)} (${out.size} elements); reduce it (sum, mean) or use vjp`);
  if (!isFloat(out.dtype)) throw new TypeError(`${op}: f must return a float scalar, got ${out.dtype}`);
}

function differentiate(op: string, f: (...args: any[]) => unknown, options: GradOptions, args: unknown[]): [Tensor, unknown, unknown] {
  const nums = argnumList(op, options.argnums ?? 0, args.length);
  let watched!: ReturnType<typeof watchArgs>;
  let out!: Tensor;
  let aux: unknown;
  const level = withLevel(
    (parent) => new ReverseLevel(parent),
    (lv) => {
      watched = watchArgs(op, lv, args, nums);
      const res = f(...watched.args);
      if (options.hasAux) {
        if (!Array.isArray(res) || res.length !== 2) throw new TypeError(`${op}: with hasAux, f must return [loss, aux], got ${Array.isArray(res) ? `an array of length ${res.length}` : typeof res}`);
        [out, aux] = res as [Tensor, unknown];
      } else {
        out = res as Tensor;
      }
      assertScalar(op, out);
      return lv;
    },
  );
  const grads = regroup(watched.flats, level.backward([out], [onesLike(out)], watched.wrt));
  return [out, typeof options.argnums === 'object' ? grads : grads[0], aux];
}

/**
 * The gradient of a scalar-valued `f` with respect to argument(s) `argnums`, as pytrees
 * shaped like those arguments. With `hasAux`, returns `[grads, aux]`.
 */
export function grad<A extends unknown[]>(f: (...args: A) => Tensor, options?: { argnums?: 0; hasAux?: false }): (...args: A) => A[0];
export function grad<A extends unknown[]>(f: (...args: A) => unknown, options?: GradOptions): (...args: A) => any;
export function grad<A extends unknown[]>(f: (...args: A) => unknown, given?: GradOptions): (...args: A) => any {
  return gradAs('grad', f, given);
}

/** @internal `grad` whose errors name `op` (hvp, checkGrad, ... call it for the user). */
export function gradAs<A extends unknown[]>(op: string, f: (...args: A) => unknown, given?: GradOptions): (...args: A) => any {
  const options = checkGradArgs(op, f, given);
  return (...args: A) =>
    outermost(() => {
      const [, g, aux] = differentiate(op, f, options, args);
      return options.hasAux ? [g, aux] : g;
    });
}

/** Like `grad`, but returns `[value, grads]` (with `hasAux`: `[[value, aux], grads]`) from one pass. */
export function valueAndGrad<A extends unknown[]>(f: (...args: A) => Tensor, options?: { argnums?: 0; hasAux?: false }): (...args: A) => [Tensor, A[0]];
export function valueAndGrad<A extends unknown[]>(f: (...args: A) => unknown, options?: GradOptions): (...args: A) => any;
export function valueAndGrad<A extends unknown[]>(f: (...args: A) => unknown, given?: GradOptions): (...args: A) => any {
  const options = checkGradArgs('valueAndGrad', f, given);
  return (...args: A) =>
    outermost(() => {
      const [value, g, aux] = differentiate('valueAndGrad', f, options, args);
      return options.hasAux ? [[value, aux], g] : [value, g];
    });
}

/**
 * Evaluates `f(...primals)` and returns `[out, pullback]`; `pullback(ct)` (ct shaped like
 * out) returns one cotangent pytree per primal. The tape lives until `pullback` is dropped
 * (on tfjs backends call both inside a `tidy`).
 */
export function vjp<A extends unknown[], O>(f: (...args: A) => O, ...primals: A): [O, (cotangent: O) => unknown[]] {
  const { level, watched, out } = record(
    'vjp',
    f,
    primals,
    primals.map((_, i) => i),
  );
  const outs = flat(out, 'output');
  const pullback = (cotangent: O): unknown[] => {
    const cts = flat(cotangent, 'cotangent');
    if (!sameStructure(outs.def, cts.def) || cts.leaves.length !== outs.leaves.length) {
      throw new TypeError(`vjp: the cotangent's structure differs from the output's (output leaves ${outs.paths.join(', ')}; cotangent leaves ${cts.paths.join(', ')})`);
    }
    cts.leaves.forEach((c, i) => {
      const o = outs.leaves[i]!;
      if (c.dtype !== o.dtype || fmtShape(c.shape) !== fmtShape(o.shape)) {
        throw new TypeError(`vjp: ${cts.paths[i]} is ${fmtShape(c.shape)} ${c.dtype} but ${outs.paths[i]} is ${fmtShape(o.shape)} ${o.dtype}`);
      }
    });
    return regroup(watched.flats, level.backward(outs.leaves, cts.leaves, watched.wrt));
  };
  return [out, pullback];
}
