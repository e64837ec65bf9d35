import { type Tensor, bind, isFloat, stack, sum, treeMap, treeUnflatten, zerosLike } from '@ddopt/tensor';
import { type BatchLevel, example, untracked } from './batch.js';
import { NoJvpRuleError } from './errors.js';
import type { ForwardLevel } from './forward.js';
import { currentLevel, type Level, withCurrent } from './levels.js';
import type { MaybeTensor } from './rules/index.js';
import type { ReverseLevel } from './reverse.js';
import { moveDim } from './rules/batching.js';
import { type Flat, flat, sameStructure } from './tree.js';
import { vmapCall } from './vmap.js';
import { checkArg, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';

/** Options of `customVjp` and `customJvp`: how the function batches under `vmap`. */
export interface CustomOptions {
  /**
   * 'map' (default): under vmap, `f` and its rule functions run under vmap themselves, once on the
   * whole batch (they must not read values). 'loop': they run once per example on that example's
   * slices (which have values: for functions that read them, such as solvers in JavaScript) and
   * the results are stacked.
   */
  vmap?: 'map' | 'loop';
}

const CUSTOM_OPTIONS = { vmap: option.oneOf(['map', 'loop'] as const).default('map') };

type Lift = (op: string, fn: (...args: any[]) => unknown, axes: readonly (readonly (number | null)[])[]) => (...args: unknown[]) => any;

/** The innermost active level that knows one of `leaves`. */
function knowingLevel(leaves: readonly Tensor[]): Level | undefined {
  for (let level = currentLevel(); level !== undefined; level = level.parent) if (level.knows(leaves)) return level;
  return undefined;
}

/** A fresh tensor equal to `x`, made at the current level (so new identities for the outputs). */
function alias(x: Tensor): Tensor {
  return bind('reshape', [x], { shape: [...x.shape] });
}

function nameOf(kind: 'customVjp' | 'customJvp', f: (...args: never) => unknown): string {
  return f.name ? `${kind}(${f.name})` : kind;
}

/** The arguments' whole batches behind `level`'s examples, and each leaf's batch axis (null: not batched). */
function batches(level: BatchLevel, ins: readonly Flat[]): { args: unknown[]; flats: Flat[]; axes: (number | null)[][] } {
  const flats = ins.map((x) => {
    const leaves = x.leaves.map((l) => level.entry(l)?.value ?? l);
    return { ...x, leaves };
  });
  return {
    args: flats.map((x) => treeUnflatten(x.def, x.leaves)),
    flats,
    axes: ins.map((x) => x.leaves.map((l) => level.entry(l)?.dim ?? null)),
  };
}

/** `fn` mapped over the batch (per-leaf axes given), every output batched along axis 0. */
const mappedLift: Lift = (op, fn, axes) => {
  return (...args) =>
    vmapCall(
      { op, leafAxes: axes, outAxes: 0, broadcastUnbatched: true },
      fn,
      args,
      args.map((a, i) => flat(a, `args[${i}]`)),
    );
};

/** `fn` run once per example of `size` (slices of the batched leaves), its outputs stacked along axis 0. */
function looped(size: number): Lift {
  return (op, fn, axes) =>
    (...args) => {
      const flats = args.map((a, i) => flat(a, `args[${i}]`));
      const outs = Array.from({ length: size }, (_, n) =>
        flat(
          fn(
            ...flats.map((f, i) =>
              treeUnflatten(
                f.def,
                f.leaves.map((x, k) => (axes[i]![k] === null ? x : example(x, axes[i]![k]!, n))),
              ),
            ),
          ),
          'output',
        ),
      );
      const first = outs[0];
      if (first === undefined) throw new RangeError(`${op}: with vmap: 'loop', a batch of 0 examples has no outputs to stack`);
      for (const o of outs) {
        if (!sameStructure(first.def, o.def) || o.leaves.length !== first.leaves.length) throw new TypeError(`${op}: with vmap: 'loop', the examples' results differ in structure (${first.paths.join(', ')} vs ${o.paths.join(', ')})`);
      }
      return treeUnflatten(
        first.def,
        first.leaves.map((_, k) => stack(outs.map((o) => o.leaves[k]!))),
      );
    };
}

/**
 * With vmap: 'loop', a rule function called on examples of a vmap (a derivative level handled
 * the custom function inside it) runs once per example there, on slices that have values.
 */
function perExample<F extends (...args: any[]) => any>(name: string, fn: F): F {
  const call = (...args: unknown[]): unknown => {
    const ins = args.map((a, i) => flat(a, `args[${i}]`));
    const leaves = ins.flatMap((x) => x.leaves);
    for (let level = currentLevel(); level !== undefined; level = level.parent) {
      if (!level.knows(leaves)) continue;
      if (level.kind !== 'batch') break;
      const b = level as BatchLevel;
      const { args: whole, axes } = batches(b, ins);
      return examples(b, withCurrent(b.parent, () => looped(b.size)(name, call, axes)(...whole)));
    }
    if (leaves.some((t) => t.isAbstract)) {
      throw new Error(`${name}: with vmap: 'loop' its functions run once per example of the vmap outside, but a ${currentLevel()?.kind ?? 'finished'} transformation between them tracks the examples and would not see those ops; use vmap: 'map' there`);
    }
    return fn(...args);
  };
  return call as F;
}

/** The outputs (whole batches along axis 0) as `level`'s examples. */
function examples<O>(level: BatchLevel, out: O): O {
  const o = flat(out, 'output');
  return treeUnflatten<O>(
    o.def,
    o.leaves.map((x) => level.wrap(x, 0)),
  );
}

/**
 * A function with a hand-written VJP. `fwd(...args)` returns `[out, residuals]`;
 * `bwd(residuals, ctOut)` returns an array with one cotangent pytree per argument (shaped like
 * it; `null`/`undefined` for a non-differentiable argument or a zero leaf). The innermost
 * reverse level uses `bwd`; outer levels differentiate the ops of `fwd` and `bwd` themselves
 * (so second derivatives need fwd and bwd built from differentiable ops). A forward level that
 * meets it first has no rule and throws `NoJvpRuleError` (hvp then falls back to reverse-over-reverse).
 * Under vmap it batches as `options.vmap` states: f, fwd and bwd mapped over the batch ('map',
 * the default) or run per example ('loop'), so a grad outside the vmap uses the batched bwd.
 */
export function customVjp<A extends unknown[], O, R>(
  f: (...args: A) => O,
  fwd: (...args: A) => [O, R],
  bwd: (residuals: R, cotangent: O) => readonly unknown[],
  options?: CustomOptions,
): (...args: A) => O {
  for (const [arg, v] of [['f', f], ['fwd', fwd], ['bwd', bwd]] as const) checkArg('customVjp', arg, option.fn(), v);
  const { vmap } = checkOptions('customVjp', options, CUSTOM_OPTIONS);
  return customVjpNamed(nameOf('customVjp', f), f, fwd, bwd, vmap);
}

function customVjpNamed<A extends unknown[], O, R>(
  name: string,
  f: (...args: A) => O,
  fwd: (...args: A) => [O, R],
  bwd: (residuals: R, cotangent: O) => readonly unknown[],
  how: 'map' | 'loop',
): (...args: A) => O {
  return (...args: A): O => {
    const ins = args.map((a, i) => flat(a, `args[${i}]`));
    const leaves = ins.flatMap((x) => x.leaves);
    const level = knowingLevel(leaves);
    if (level === undefined) return f(...args);
    if (level.kind === 'batch') return batchedVjp(level as BatchLevel, name, how, ins, f, fwd, bwd) as O;
    if (level.kind === 'forward') throw new NoJvpRuleError(`${name}: forward mode (jvp) has no rule for a customVjp function; use customJvp or reverse mode`);
    const rev = level as ReverseLevel;
    const [out, residuals] = withCurrent(rev.parent, () => (how === 'loop' ? perExample(name, fwd) : fwd)(...args));
    const outs = flat(out, 'output');
    const outLeaves = withCurrent(rev.parent, () => outs.leaves.map(alias));
    rev.record({
      name,
      inputs: leaves,
      outputs: outLeaves,
      pullback: (cts) => {
        const ct = treeUnflatten<O>(
          outs.def,
          cts.map((c, i) => c ?? zerosLike(outLeaves[i]!)),
        );
        const back = how === 'loop' ? perExample(name, bwd)(residuals, ct) : bwd(residuals, ct);
        if (!Array.isArray(back) || back.length !== args.length) {
          throw new TypeError(`${name}: bwd must return an array with one cotangent per argument (${args.length}), got ${Array.isArray(back) ? `an array of length ${back.length}` : typeof back}`);
        }
        return back.flatMap((b, i) => checkCotangent(name, ins[i]!, b, i));
      },
      pushforward: () => {
        throw new NoJvpRuleError(`${name}: linearize/jacfwd have no JVP rule for a customVjp function`);
      },
    });
    return treeUnflatten<O>(outs.def, outLeaves);
  };
}

/**
 * customVjp under vmap: the same custom function on whole batches — f, fwd and bwd each mapped
 * over the batch (or looped over its examples) — applied one level down, so an outer reverse
 * level uses the batched bwd. The cotangent of an argument that is the same for every example is
 * summed over the batch.
 */
function batchedVjp<R>(
  level: BatchLevel,
  name: string,
  how: 'map' | 'loop',
  ins: readonly Flat[],
  f: (...args: any[]) => unknown,
  fwd: (...args: any[]) => [unknown, R],
  bwd: (residuals: R, cotangent: any) => readonly unknown[],
): unknown {
  const mapped = how === 'map' ? mappedLift : looped(level.size);
  const { args, axes } = batches(level, ins);
  const allAt0 = (trees: readonly unknown[]) => trees.map((t, i) => flat(t, `args[${i}]`).leaves.map(() => 0));
  const batchedBwd = (residuals: unknown, ct: unknown): unknown[] => {
    const back = mapped(name, (r: R, c: unknown) => bwd(r, c), allAt0([residuals, ct]))(residuals, ct) as unknown;
    if (!Array.isArray(back)) return back as never; // the outer level names the mistake
    return back.map((b, i) => {
      if (b === null || b === undefined || axes[i] === undefined) return b;
      const g = flat(b, `args[${i}]`);
      if (g.leaves.length !== axes[i]!.length) return b;
      return treeUnflatten(
        g.def,
        g.leaves.map((x, k) => {
          const d = axes[i]![k];
          return d === null || d === undefined ? sum(x, { axis: 0 }) : moveDim(x, 0, d);
        }),
      );
    });
  };
  const custom = customVjpNamed(name, mapped(name, f, axes), mapped(name, fwd, axes) as (...a: unknown[]) => [unknown, unknown], batchedBwd as (r: unknown, c: unknown) => unknown[], how);
  return examples(level, withCurrent(level.parent, () => custom(...args)));
}

/** Checks one argument's cotangent tree against the argument; returns its leaves (undefined = zero). */
function checkCotangent(name: string, arg: ReturnType<typeof flat>, back: unknown, i: number): MaybeTensor[] {
  if (back === null || back === undefined) return arg.leaves.map(() => undefined);
  const got = flat(back, `args[${i}]`);
  if (!sameStructure(arg.def, got.def)) {
    const missing = arg.paths.find((p) => !got.paths.includes(p)) ?? got.paths.find((p) => !arg.paths.includes(p));
    throw new TypeError(`${name}: bwd's cotangent for argument ${i} does not match its structure${missing ? ` (at leaf ${missing})` : ''}: expected leaves ${arg.paths.join(', ')}, got ${got.paths.join(', ') || '(none)'}`);
  }
  return got.leaves.map((g, k) => {
    const x = arg.leaves[k]!;
    if (g.dtype !== x.dtype || fmtShape(g.shape) !== fmtShape(x.shape) || g.backend !== x.backend) {
      throw new TypeError(`${name}: bwd's cotangent at ${got.paths[k]} is ${fmtShape(g.shape)} ${g.dtype} on ${g.backend}, expected ${fmtShape(x.shape)} ${x.dtype} on ${x.backend}`);
    }
    return g;
  });
}

/**
 * A function with a hand-written JVP: `jvpFn(primals, tangents)` returns `[out, tangentOut]`
 * (tangents of non-differentiated leaves are zeros). It is used when a forward level is the
 * innermost one that sees the inputs; otherwise the ops of `f` itself are differentiated. Under
 * vmap it batches as `options.vmap` states: f and jvpFn mapped over the batch ('map', the
 * default) or run per example ('loop').
 */
export function customJvp<A extends unknown[], O>(f: (...args: A) => O, jvpFn: (primals: A, tangents: A) => [O, O], options?: CustomOptions): (...args: A) => O {
  checkArg('customJvp', 'f', option.fn(), f);
  checkArg('customJvp', 'jvpFn', option.fn(), jvpFn);
  const { vmap } = checkOptions('customJvp', options, CUSTOM_OPTIONS);
  return customJvpNamed(nameOf('customJvp', f), f, jvpFn, vmap);
}

function customJvpNamed<A extends unknown[], O>(name: string, f: (...args: A) => O, jvpFn: (primals: A, tangents: A) => [O, O], how: 'map' | 'loop'): (...args: A) => O {
  return (...args: A): O => {
    const ins = args.map((a, i) => flat(a, `args[${i}]`));
    const leaves = ins.flatMap((x) => x.leaves);
    const level = knowingLevel(leaves);
    if (level?.kind === 'batch') {
      // Under vmap: f and jvpFn mapped over the batch (or looped over it), applied one level down.
      const b = level as BatchLevel;
      const mapped = how === 'map' ? mappedLift : looped(b.size);
      const { args: whole, axes } = batches(b, ins);
      const both = [axes.flat(), axes.flat()];
      const batchedJvp = (primals: unknown[], tangents: unknown[]) => mapped(name, (p: A, t: A) => jvpFn(p, t), both)(primals, tangents) as [unknown, unknown];
      const custom = customJvpNamed(name, mapped(name, f, axes), batchedJvp, how);
      return examples(b, withCurrent(b.parent, () => custom(...whole)));
    }
    if (level === undefined || level.kind !== 'forward') return how === 'loop' ? perExample(name, f)(...args) : f(...args);
    const fw = level as ForwardLevel;
    const tangents = ins.map((x) => treeUnflatten(
      x.def,
      x.leaves.map((l) => fw.tangents.get(l.id) ?? zerosLike(l)),
    )) as A;
    const [out, tOut] = withCurrent(fw.parent, () => (how === 'loop' ? perExample(name, jvpFn)(args, tangents) : jvpFn(args, tangents)));
    const outs = flat(out, 'output');
    const touts = flat(tOut, 'tangent output');
    if (!sameStructure(outs.def, touts.def) || touts.leaves.length !== outs.leaves.length) throw new TypeError(`${name}: the tangent output's structure differs from the output's`);
    // A tangent has its primal's shape, dtype and backend exactly (never broadcast later).
    touts.leaves.forEach((t, i) => {
      const o = outs.leaves[i]!;
      if (t.dtype !== o.dtype || fmtShape(t.shape) !== fmtShape(o.shape) || t.backend !== o.backend) {
        throw new TypeError(`${name}: jvpFn's tangent at ${touts.paths[i]} is ${fmtShape(t.shape)} ${t.dtype} on ${t.backend}, but the output is ${fmtShape(o.shape)} ${o.dtype} on ${o.backend}`);
      }
    });
    const outLeaves = withCurrent(fw.parent, () => outs.leaves.map(alias));
    outLeaves.forEach((o, i) => {
      if (isFloat(o.dtype)) fw.setTangent(o, touts.leaves[i]!);
    });
    return treeUnflatten<O>(outs.def, outLeaves);
  };
}

/** The same values with no derivative at any level (a constant to every transformation); inside vmap, still batched. */
export function stopGradient<T>(x: T): T {
  return treeMap((t) => untracked(t), x);
}

