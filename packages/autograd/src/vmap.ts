import { type TreeDef, bind, treeUnflatten } from '@ddopt/tensor';
import { checkOptions, fmtShape, fmtValue, option } from '@ddopt/tensor/validate';
import { BatchLevel } from './batch.js';
import { withLevel } from './levels.js';
import { moveDim } from './rules/batching.js';
import { outermost } from './scope.js';
import { type Flat, flat } from './tree.js';

/** A batch axis (negative counts from the end), `null` for "not batched", or a pytree of them matching a value. */
export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [key: string]: AxisSpec };

/** Options of `vmap`. */
export interface VmapOptions {
  /**
   * Where each argument's batch axis is: one spec for all arguments, or an array with one per
   * argument; a spec is an axis, `null` (the argument is the same for every example: it is not
   * batched and costs nothing), or a pytree of them shaped like the argument (a prefix of it).
   * Default 0.
   */
  inAxes?: AxisSpec;
  /** Where the batch axis goes in each output (a spec as for one argument, a prefix of the output's pytree). Default 0. */
  outAxes?: AxisSpec;
}

const VMAP_OPTIONS = { inAxes: option.any<AxisSpec>(), outAxes: option.any<AxisSpec>() };

/** @internal How the core runs: per-leaf axes already resolved, and whether unbatched outputs are broadcast. */
export interface VmapCall {
  op: string;
  /** Per argument, per tensor leaf: its batch axis (already in range), or null. */
  leafAxes: readonly (readonly (number | null)[])[];
  outAxes: AxisSpec;
  /** Repeat an output that does not depend on the batch along its out axis (jacobians, perExampleGrads) instead of refusing it. */
  broadcastUnbatched: boolean;
}

const isPlain = (x: unknown): x is Record<string, AxisSpec> => typeof x === 'object' && x !== null && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype;

function describeDef(d: TreeDef): string {
  switch (d.kind) {
    case 'tensor':
      return 'a tensor';
    case 'array':
      return `an array of ${d.children.length}`;
    case 'object':
      return `an object with keys ${d.keys.join(', ') || '(none)'}`;
    case 'static':
      return `a static ${fmtValue(d.value)}`;
    default:
      return d.kind;
  }
}

/**
 * Expands `spec` (a prefix of the tree `def`) to one entry per tensor leaf, in flattening order.
 * `what` names the spec in messages (`inAxes[1]`), `path` the place in the value (`args[1].w`).
 */
export function expandAxes(op: string, what: string, spec: AxisSpec | undefined, def: TreeDef, path: string, out: (number | null)[]): void {
  if (spec === null || typeof spec === 'number') {
    if (typeof spec === 'number' && !Number.isInteger(spec)) throw new TypeError(`${op}: ${what} must hold integer axes or null, got ${fmtValue(spec)}`);
    const fill = (d: TreeDef): void => {
      if (d.kind === 'tensor') out.push(spec);
      else if (d.kind === 'array' || d.kind === 'object') for (const c of d.children) fill(c);
    };
    fill(def);
    return;
  }
  if (Array.isArray(spec)) {
    if (def.kind !== 'array' || def.children.length !== spec.length) throw new TypeError(`${op}: ${what} is an array of ${spec.length}, but ${path} is ${describeDef(def)}`);
    def.children.forEach((c, i) => {
      expandAxes(op, `${what}[${i}]`, spec[i], c, `${path}[${i}]`, out);
    });
    return;
  }
  if (isPlain(spec)) {
    if (def.kind !== 'object') throw new TypeError(`${op}: ${what} is an object, but ${path} is ${describeDef(def)}`);
    const extra = Object.keys(spec).filter((k) => !def.keys.includes(k));
    if (extra.length > 0) throw new TypeError(`${op}: ${what} has key(s) ${extra.join(', ')} that ${path} does not have (its keys: ${def.keys.join(', ') || 'none'})`);
    def.keys.forEach((k, i) => {
      if (!Object.hasOwn(spec, k)) throw new TypeError(`${op}: ${what} has no entry for key ${k} of ${path}; give every key an axis or null`);
      expandAxes(op, `${what}.${k}`, spec[k], def.children[i]!, `${path}.${k}`, out);
    });
    return;
  }
  throw new TypeError(`${op}: ${what} must be an axis (integer), null, or an array/object of them shaped like ${path}, got ${fmtValue(spec)}`);
}

/** An axis of a tensor of `rank` dimensions (negative from the end), checked and made non-negative. */
function axisIn(op: string, what: string, path: string, axis: number, shape: readonly number[], rank: number, example: boolean): number {
  if (axis < -rank || axis >= rank) {
    const kind = example ? 'one example of it has shape' : 'it has shape';
    throw new RangeError(`${op}: ${what} gives axis ${axis} for ${path}, but ${kind} ${fmtShape(shape)}; the axis must be in [${-rank}, ${rank - 1}]`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Resolves `inAxes` against the arguments: per argument, per leaf, a non-negative axis or null. */
export function resolveInAxes(op: string, inAxes: AxisSpec, flats: readonly Flat[]): (number | null)[][] {
  let perArg: readonly (AxisSpec | undefined)[];
  if (Array.isArray(inAxes)) {
    if (inAxes.length !== flats.length) throw new RangeError(`${op}: inAxes has ${inAxes.length} entries but the function was called with ${flats.length} argument(s); give one per argument (or a single axis for all)`);
    perArg = inAxes;
  } else {
    perArg = flats.map(() => inAxes);
  }
  return flats.map((f, i) => {
    const axes: (number | null)[] = [];
    expandAxes(op, Array.isArray(inAxes) ? `inAxes[${i}]` : 'inAxes', perArg[i], f.def, `args[${i}]`, axes);
    return axes.map((a, k) => (a === null ? null : axisIn(op, 'inAxes', f.paths[k]!, a, f.leaves[k]!.shape, f.leaves[k]!.rank, false)));
  });
}

/** The batch size all batched leaves share; throws naming two leaves that disagree, or when none is batched. */
function batchSize(op: string, flats: readonly Flat[], axes: readonly (readonly (number | null)[])[]): number {
  let size: number | undefined;
  let from = '';
  flats.forEach((f, i) => {
    f.leaves.forEach((x, k) => {
      const a = axes[i]![k];
      if (a === null || a === undefined) return;
      const n = x.shape[a]!;
      const here = `${f.paths[k]} (shape ${fmtShape(x.shape)}, axis ${a})`;
      if (size === undefined) {
        size = n;
        from = here;
      } else if (n !== size) {
        throw new RangeError(`${op}: mismatched batch sizes: ${size} for ${from} but ${n} for ${here}; every batched argument must have the same batch size`);
      }
    });
  });
  if (size === undefined) throw new RangeError(`${op}: no argument is batched (inAxes leave every tensor unbatched), so there is no batch to map over`);
  return size;
}

/** @internal vmap with resolved per-leaf axes (used by vmap, the jacobians and the batched custom rules). */
export function vmapCall(call: VmapCall, f: (...args: any[]) => unknown, args: readonly unknown[], flats: readonly Flat[]): unknown {
  const { op, leafAxes } = call;
  const size = batchSize(op, flats, leafAxes);
  let level!: BatchLevel;
  const out = withLevel(
    (parent) => new BatchLevel(parent, size, op),
    (lv) => {
      level = lv;
      const examples = args.map((a, i) => {
        const fl = flats[i]!;
        const axes = leafAxes[i]!;
        if (axes.every((x) => x === null)) return a;
        return treeUnflatten(
          fl.def,
          fl.leaves.map((x, k) => (axes[k] === null ? x : lv.wrap(x, axes[k]!))),
        );
      });
      return f(...examples);
    },
  );
  const of = flat(out, 'output');
  const wanted: (number | null)[] = [];
  expandAxes(op, 'outAxes', call.outAxes, of.def, 'output', wanted);
  const leaves = of.leaves.map((o, k) => {
    const want = wanted[k]!;
    const e = level.entry(o);
    const path = of.paths[k]!;
    if (e === undefined) {
      if (want === null) return o;
      if (!call.broadcastUnbatched) {
        throw new RangeError(
          `${op}: ${path} (shape ${fmtShape(o.shape)}) does not depend on the batched arguments, so it has no batch axis, but outAxes asks for one at ${want}; give it outAxes null, or repeat it yourself (batch of ${size})`,
        );
      }
      const at = axisIn(op, 'outAxes', path, want, o.shape, o.rank + 1, true);
      const shape = [...o.shape];
      shape.splice(at, 0, 1);
      const one = bind('reshape', [o], { shape: [...shape] });
      shape[at] = size;
      return bind('broadcastTo', [one], { shape });
    }
    if (want === null) throw new RangeError(`${op}: ${path} (one example of shape ${fmtShape(o.shape)}) is batched (batch of ${size}), but outAxes gives null for it; null is only for outputs that do not depend on the batched arguments`);
    return moveDim(e.value, e.dim, axisIn(op, 'outAxes', path, want, o.shape, o.rank + 1, true));
  });
  return treeUnflatten(of.def, leaves);
}

/**
 * Vectorizing map: `vmap(f, { inAxes, outAxes })(...args)` runs `f` once on whole batches as
 * if it were called on each example and the results stacked. `f` sees one example of each
 * batched argument (the batch axis removed; its values cannot be read there); every primitive
 * runs once on the batch through its batching rule. Composes with every transformation in any
 * order (`vmap(grad(f))`, `grad(vmap(f))`, `vmap(vmap(f))`, ...).
 */
export function vmap<F extends (...args: any[]) => any>(f: F, options?: VmapOptions): (...args: Parameters<F>) => any {
  if (typeof f !== 'function') throw new TypeError(`vmap: f must be a function, got ${fmtValue(f)}`);
  const o = checkOptions('vmap', options, VMAP_OPTIONS);
  const inAxes = o.inAxes === undefined ? 0 : o.inAxes;
  const outAxes = o.outAxes === undefined ? 0 : o.outAxes;
  return (...args: Parameters<F>) =>
    outermost(() => {
      const flats = args.map((a, i) => flat(a, `args[${i}]`));
      const leafAxes = resolveInAxes('vmap', inAxes, flats);
      return vmapCall({ op: 'vmap', leafAxes, outAxes, broadcastUnbatched: false }, f, args, flats);
    });
}
