import { type Attrs, type Primitive, type Tensor, abstractTensor, bind, inferOutput, tensor } from '@ddopt/tensor';
import { fmtShape } from '@ddopt/tensor/validate';
import { type Level, currentLevel, withCurrent } from './levels.js';
import { type BatchDim, batchRules } from './rules/index.js';

/** Where the whole batch behind one example is: its physical tensor and the axis holding the examples. */
export interface BatchEntry {
  readonly value: Tensor;
  readonly dim: number;
}

const warned = new Set<string>();

/**
 * A vmap level. The mapped function sees each batched value as one example: an abstract tensor
 * (no values) of the example's shape, mapped here to the physical tensor holding all `size`
 * examples along axis `dim`. Each primitive on such a value runs once on the whole batch
 * through its batching rule, bound at the parent level so outer transformations record it.
 */
export class BatchLevel implements Level {
  readonly kind = 'batch';
  readonly #entries = new WeakMap<Tensor, BatchEntry>();
  readonly #message: string;

  constructor(
    readonly parent: Level | undefined,
    readonly size: number,
    readonly op: string,
  ) {
    this.#message = `${op}: this tensor is one example of a batch of ${size} inside ${op}; its values exist only for the whole batch, so it cannot be read (or used after ${op} returns) — return it from the mapped function instead`;
  }

  knows(inputs: readonly Tensor[]): boolean {
    for (const t of inputs) if (this.#entries.has(t)) return true;
    return false;
  }

  /** The batch behind `x`, if `x` is one of this level's examples. */
  entry(x: Tensor): BatchEntry | undefined {
    return this.#entries.get(x);
  }

  /** One example of the physical batch `value` (examples along axis `dim`): an abstract tensor this level knows. */
  wrap(value: Tensor, dim: number): Tensor {
    const shape = value.shape.filter((_, i) => i !== dim);
    const example = abstractTensor(shape, value.dtype, value.backend, this.#message);
    this.#entries.set(example, { value, dim });
    return example;
  }

  process<P extends Primitive>(primitive: P, inputs: readonly Tensor[], attrs: Attrs<P>): Tensor {
    // Validates the call as the mapped function wrote it (one example), as a kernel would.
    const spec = inferOutput(primitive, inputs, attrs);
    const values: Tensor[] = [];
    const dims: BatchDim[] = [];
    for (const x of inputs) {
      const e = this.#entries.get(x);
      values.push(e ? e.value : x);
      dims.push(e ? e.dim : null);
    }
    const rule = batchRules[primitive] as ((...a: unknown[]) => [Tensor, BatchDim]) | undefined;
    const [out, dim] = rule === undefined ? this.loop(primitive, values, dims, attrs, spec.shape) : rule(values, dims, attrs, this.size);
    const shape = dim === null ? out.shape : out.shape.filter((_, i) => i !== dim);
    if (out.dtype !== spec.dtype || fmtShape(shape) !== fmtShape(spec.shape) || (dim !== null && out.shape[dim] !== this.size)) {
      throw new Error(
        `autograd: the batching rule of "${primitive}" returned ${fmtShape(out.shape)} ${out.dtype} with the batch at ${dim}, but one example is ${fmtShape(spec.shape)} ${spec.dtype} and the batch has ${this.size}`,
      );
    }
    return dim === null ? out : this.wrap(out, dim);
  }

  /** The fallback for a primitive without a batching rule: one call per example, stacked (warns once per primitive). */
  loop<P extends Primitive>(primitive: P, values: readonly Tensor[], dims: readonly BatchDim[], attrs: Attrs<P>, shape: readonly number[]): [Tensor, BatchDim] {
    if (!warned.has(primitive)) {
      warned.add(primitive);
      console.warn(`${this.op}: primitive "${primitive}" has no batching rule, so it runs once per example in a loop (batch of ${this.size}): same results, slower. (Shown once per primitive.)`);
    }
    const n = this.size;
    if (n === 0) {
      const dtype = inferOutput(primitive, values.map((v, i) => ({ shape: dims[i] === null ? v.shape : v.shape.filter((_, k) => k !== dims[i]), dtype: v.dtype })), attrs).dtype;
      return [tensor([], { shape: [0, ...shape], dtype, backend: values[0]!.backend }), 0];
    }
    const rows: Tensor[] = [];
    for (let i = 0; i < n; i++) {
      const one = values.map((v, k) => (dims[k] === null ? v : example(v, dims[k]!, i)));
      const y = bind(primitive, one, attrs);
      rows.push(bind('reshape', [y], { shape: [1, ...y.shape] }));
    }
    return [rows.length === 1 ? rows[0]! : bind('concat', rows, { axis: 0 }), 0];
  }
}

/** Example `i` of `v` along axis `d` (the axis dropped), bound at the current level. */
export function example(v: Tensor, d: number, i: number): Tensor {
  const begin = v.shape.map((_, k) => (k === d ? i : 0));
  const size = v.shape.map((s, k) => (k === d ? 1 : s));
  return bind('reshape', [bind('slice', [v], { begin, size })], { shape: v.shape.filter((_, k) => k !== d) });
}

/** Whether `level` is a vmap level. */
export function isBatchLevel(level: Level | undefined): level is BatchLevel {
  return level?.kind === 'batch';
}

/**
 * The tensor with values behind `x`: through every active vmap level that holds it as one
 * example, the whole batch. Rules that must look at values (prod's test for zeros) look here,
 * and decide for the whole batch at once.
 */
export function concreteOf(x: Tensor): Tensor {
  let t = x;
  for (let level = currentLevel(); level !== undefined; level = level.parent) {
    if (isBatchLevel(level)) t = level.entry(t)?.value ?? t;
  }
  return t;
}

/**
 * A copy of `x` that no derivative level tracks but that every vmap level still holds as an
 * example of its batch (stopGradient inside vmap keeps the batch).
 */
export function untracked(x: Tensor, from: Level | undefined = currentLevel()): Tensor {
  for (let level = from; level !== undefined; level = level.parent) {
    if (!isBatchLevel(level)) continue;
    const e = level.entry(x);
    if (e !== undefined) return level.wrap(untracked(e.value, level.parent), e.dim);
  }
  return withCurrent(undefined, () => bind('reshape', [x], { shape: [...x.shape] }));
}
