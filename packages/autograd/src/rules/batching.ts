import { type Attrs, PRIMITIVE_INFO, PRIMITIVES, type Primitive, type PrimitiveKind, type Tensor, bind, tensor } from '@ddopt/tensor';
import type { BatchDim, BatchRule } from './types.js';

// Batching rules: how each primitive runs on a whole batch at once. A value inside vmap is one
// example; its physical tensor holds every example along its batch axis (`dims[i]`, anywhere).
// Rules keep the batch axis where it is when the primitive allows it (elementwise ops,
// reductions, slices), and otherwise fold it into an axis the primitive already loops over:
// the rows of a matmul, the N axis of a conv2d, or its channel groups when the kernel is batched.

/** Moves axis `from` of `x` to position `to` (a transpose; nothing when they are equal). */
export function moveDim(x: Tensor, from: number, to: number): Tensor {
  if (from === to) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return bind('transpose', [x], { perm });
}

/** An unbatched `x` repeated `size` times along a new axis `at` (a broadcast). */
export function lift(x: Tensor, at: number, size: number): Tensor {
  const shape = [...x.shape];
  shape.splice(at, 0, 1);
  const one = bind('reshape', [x], { shape: [...shape] });
  shape[at] = size;
  return bind('broadcastTo', [one], { shape });
}

/** `x` with its batch axis (or a broadcast one, if unbatched) at `at`. */
export function batchedAt(x: Tensor, d: BatchDim, at: number, size: number): Tensor {
  return d === null ? lift(x, at, size) : moveDim(x, d, at);
}

/** The physical axis of logical axis `a` when the batch axis is at `d`. */
const phys = (a: number, d: number): number => (a >= d ? a + 1 : a);

const first = (dims: readonly BatchDim[]): number => dims.find((d) => d !== null) as number;

function withInserted<T>(xs: readonly T[], at: number, v: T): T[] {
  const out = [...xs];
  out.splice(at, 0, v);
  return out;
}

/** Elementwise primitives (unary, cast, binary, comparisons, where): every input batched at one axis. */
function elementwise<P extends Primitive>(p: P): BatchRule<P> {
  return (values, dims, attrs, size) => {
    const d = first(dims);
    return [
      bind(
        p,
        values.map((v, i) => batchedAt(v, dims[i]!, d, size)),
        attrs,
      ),
      d,
    ];
  };
}

/**
 * Binary and comparison primitives: as elementwise, except that an operand that is one rank-0
 * scalar per example (logically) meets the other's elements — kept rank-0 when unbatched, and
 * when batched ([size]) broadcast along the other's batch axis.
 */
function elementwisePair<P extends Primitive>(p: P): BatchRule<P> {
  return (values, dims, attrs, size) => {
    const [a, b] = values as [Tensor, Tensor];
    const [da, db] = dims as [BatchDim, BatchDim];
    const d = first(dims);
    const logicalRank = (x: Tensor, dx: BatchDim) => x.rank - (dx === null ? 0 : 1);
    const aIsScalar = logicalRank(a, da) < logicalRank(b, db);
    const bIsScalar = logicalRank(b, db) < logicalRank(a, da);
    const pa = aIsScalar ? a : batchedAt(a, da, d, size);
    const pb = bIsScalar ? b : batchedAt(b, db, d, size);
    const spread = (x: Tensor, dx: BatchDim, like: Tensor) => {
      if (dx === null) return x;
      const column = bind('reshape', [x], { shape: like.shape.map((n, i) => (i === d ? n : 1)) });
      return bind('broadcastTo', [column], { shape: [...like.shape] });
    };
    return [bind(p, [aIsScalar ? spread(pa, da, pb) : pa, bIsScalar ? spread(pb, db, pa) : pb], attrs), d];
  };
}

const PAIR_KINDS = new Set<PrimitiveKind>(['binary', 'compare']);
const ELEMENTWISE_KINDS = new Set<PrimitiveKind>(['unary', 'cast', 'binary', 'compare', 'where']);
type Info = typeof PRIMITIVE_INFO;
type Elementwise = { [P in Primitive]: Info[P]['kind'] extends 'unary' | 'cast' | 'binary' | 'compare' | 'where' ? P : never }[Primitive];

/** One rule per elementwise primitive, from the primitives' own kinds (a new elementwise primitive is covered). */
export const elementwiseBatch = Object.fromEntries(PRIMITIVES.filter((p) => ELEMENTWISE_KINDS.has(PRIMITIVE_INFO[p].kind)).map((p) => [p, PAIR_KINDS.has(PRIMITIVE_INFO[p].kind) ? elementwisePair(p) : elementwise(p)])) as {
  [P in Elementwise]: BatchRule<P>;
};

/** sum, prod, max: the reduced axes shift past the batch axis, which moves left by the reduced axes before it. */
function reduce<P extends 'sum' | 'prod' | 'max'>(p: P): BatchRule<P> {
  return ([x], [d], { axes }) => [bind(p, [x!], { axes: axes.map((a) => phys(a, d!)) } as Attrs<P>), d! - axes.filter((a) => a < d!).length];
}

function argReduce<P extends 'argmax' | 'argmin'>(p: P): BatchRule<P> {
  return ([x], [d], { axis }) => [bind(p, [x!], { axis: phys(axis, d!) } as Attrs<P>), axis < d! ? d! - 1 : d!];
}

/** gather(x, indices): folds the batch into the gathered axis when both are batched (indices offset per example). */
const gatherBatch: BatchRule<'gather'> = ([x, idx], [dx, di], { axis }, size) => {
  if (di === null) {
    const a = phys(axis, dx!);
    return [bind('gather', [x!, idx!], { axis: a }), dx! < a ? dx! : dx! - 1 + idx!.rank];
  }
  if (dx === null) return [bind('gather', [x!, idx!], { axis }), axis + di];
  // Both batched: x as [...pre, N·A, ...post], each example's indices shifted into its own block.
  const n = x!.shape[dx!]!;
  const xs = moveDim(x!, dx!, axis);
  const A = xs.shape[axis + 1]!;
  const merged = bind('reshape', [xs], { shape: [...xs.shape.slice(0, axis), n * A, ...xs.shape.slice(axis + 2)] });
  const is = moveDim(idx!, di, 0);
  return [bind('gather', [merged, shifted(is, A, size)], { axis }), axis];
};

/** Indices [N, ...] plus n·block for example n (int32). */
function shifted(idx: Tensor, block: number, size: number): Tensor {
  const off = new Int32Array(size);
  for (let n = 0; n < size; n++) off[n] = n * block;
  const offsets = tensor(off, { shape: [size, ...idx.shape.slice(1).map(() => 1)], dtype: 'int32', backend: idx.backend });
  return bind('add', [idx, bind('broadcastTo', [offsets], { shape: [...idx.shape] })], {});
}

/** scatterAdd(indices, updates): with batched indices, each example scatters into its own block of N·size rows. */
const scatterAddBatch: BatchRule<'scatterAdd'> = ([idx, upd], [di, du], { axis, size: rows }, size) => {
  if (di === null) {
    if (du! <= axis) return [bind('scatterAdd', [idx!, upd!], { axis: axis + 1, size: rows }), du!];
    return [bind('scatterAdd', [idx!, moveDim(upd!, du!, 0)], { axis: axis + 1, size: rows }), 0];
  }
  const is = shifted(moveDim(idx!, di, 0), rows, size);
  const us = batchedAt(upd!, du!, axis, size);
  const out = bind('scatterAdd', [is, us], { axis, size: size * rows });
  return [bind('reshape', [out], { shape: [...out.shape.slice(0, axis), size, rows, ...out.shape.slice(axis + 1)] }), axis];
};

/**
 * matmul: one operand batched folds the batch into its rows (a) or columns (b), so a batch of
 * products is one larger product; both batched, the batch is a leading batch axis.
 */
const matmulBatch: BatchRule<'matmul'> = ([a, b], [da, db]) => {
  const mm = (x: Tensor, y: Tensor) => bind('matmul', [x, y], {});
  if (da !== null && db !== null) return [mm(moveDim(a!, da, 0), moveDim(b!, db, 0)), 0];
  if (db === null) {
    const r = a!.rank - 1; // logical rank
    const at = moveDim(a!, da!, r - 2); // [...batch, N, m, k]
    const [n, m, k] = at.shape.slice(r - 2) as [number, number, number];
    const out = mm(bind('reshape', [at], { shape: [...at.shape.slice(0, r - 2), n * m, k] }), b!);
    return [bind('reshape', [out], { shape: [...at.shape.slice(0, r - 2), n, m, b!.shape[r - 1]!] }), r - 2];
  }
  const r = b!.rank - 1;
  const bt = moveDim(b!, db, r - 1); // [...batch, k, N, n]
  const [k, n, cols] = bt.shape.slice(r - 2) as [number, number, number];
  const out = mm(a!, bind('reshape', [bt], { shape: [...bt.shape.slice(0, r - 2), k, n * cols] }));
  return [bind('reshape', [out], { shape: [...out.shape.slice(0, r - 1), n, cols] }), r - 1];
};

/**
 * conv2d: a batched input folds into the N axis; a batched kernel becomes N times as many
 * channel groups (the input, batched or repeated, stacked along its channels).
 */
const conv2dBatch: BatchRule<'conv2d'> = ([x, w], [dx, dw], attrs, size) => {
  if (dw === null) {
    const xs = moveDim(x!, dx!, 0);
    const [, n, ...rest] = xs.shape as number[];
    const out = bind('conv2d', [bind('reshape', [xs], { shape: [size * n!, ...rest] }), w!], attrs);
    return [bind('reshape', [out], { shape: [size, n!, ...out.shape.slice(1)] }), 0];
  }
  const xs = batchedAt(x!, dx!, 1, size); // [n, N, c, h, w]
  const [n, , c, h, wd] = xs.shape as [number, number, number, number, number];
  const ws = moveDim(w!, dw, 0); // [N, o, ci, kh, kw]
  const [, o, ...k] = ws.shape as number[];
  const out = bind('conv2d', [bind('reshape', [xs], { shape: [n, size * c, h, wd] }), bind('reshape', [ws], { shape: [size * o!, ...k] })], { ...attrs, groups: attrs.groups * size });
  return [bind('reshape', [out], { shape: [n, size, o!, ...out.shape.slice(2)] }), 1];
};

/** The batching rules of the non-elementwise primitives. */
export const structuralBatch = {
  sum: reduce('sum'),
  prod: reduce('prod'),
  max: reduce('max'),
  argmax: argReduce('argmax'),
  argmin: argReduce('argmin'),
  cumsum: ([x], [d], { axis, reverse }) => [bind('cumsum', [x!], { axis: phys(axis, d!), reverse }), d],
  reshape: ([x], [d], { shape }, size) => [bind('reshape', [moveDim(x!, d!, 0)], { shape: [size, ...shape] }), 0],
  transpose: ([x], [d], { perm }) => [bind('transpose', [x!], { perm: [d!, ...perm.map((a) => phys(a, d!))] }), 0],
  broadcastTo: ([x], [d], { shape }, size) => {
    const xs = moveDim(x!, d!, 0);
    const lead = shape.length - (xs.rank - 1);
    const padded = lead === 0 ? xs : bind('reshape', [xs], { shape: [size, ...new Array<number>(lead).fill(1), ...xs.shape.slice(1)] });
    return [bind('broadcastTo', [padded], { shape: [size, ...shape] }), 0];
  },
  slice: ([x], [d], { begin, size: sizes }, size) => [bind('slice', [x!], { begin: withInserted(begin, d!, 0), size: withInserted(sizes, d!, size) }), d],
  pad: ([x], [d], { paddings, value }) => [bind('pad', [x!], { paddings: withInserted(paddings, d!, [0, 0] as [number, number]), value }), d],
  concat: (values, dims, { axis }, size) => {
    const d = first(dims);
    return [
      bind(
        'concat',
        values.map((v, i) => batchedAt(v, dims[i]!, d, size)),
        { axis: phys(axis, d) },
      ),
      d,
    ];
  },
  reverse: ([x], [d], { axes }) => [bind('reverse', [x!], { axes: axes.map((a) => phys(a, d!)) }), d],
  gather: gatherBatch,
  scatterAdd: scatterAddBatch,
  matmul: matmulBatch,
  conv2d: conv2dBatch,
} satisfies { [P in Exclude<Primitive, Elementwise>]: BatchRule<P> };
