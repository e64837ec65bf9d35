import { fromTypedArray, zerosLike } from '../creation.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { sqrt } from '../ops/unary.js';
import { fmtShape, shapesEqual } from '../shape.js';
import { type Tensor, isTensor } from '../tensor.js';
import { treeMap, walkTogether, zipWithPaths } from './map.js';
import { showPath } from './structure.js';

// Leafwise binary ops refuse to broadcast: matching leaves of two parameter trees that differ
// in shape are a bug, not something to paper over.
function sameShape(op: string, x: Tensor, y: Tensor, path: string): void {
  if (!shapesEqual(x.shape, y.shape)) throw new RangeError(`${op}: leaves at ${showPath(path)} have shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
}

function leafwise<T>(op: string, a: T, b: unknown, f: (x: Tensor, y: Tensor) => Tensor): T {
  return walkTogether(op, [a, b], ([x, y], path) => {
    sameShape(op, x!, y!, path);
    return f(x!, y!);
  }) as T;
}

/** Leafwise a + b of two trees of the same structure and leaf shapes. */
export function treeAdd<T>(a: T, b: unknown): T {
  return leafwise('treeAdd', a, b, add);
}

/** Leafwise a − b of two trees of the same structure and leaf shapes. */
export function treeSub<T>(a: T, b: unknown): T {
  return leafwise('treeSub', a, b, sub);
}

/** Every leaf times `s`, a number or a rank-0 tensor. */
export function treeScale<T>(a: T, s: number | Tensor): T {
  if (isTensor(s)) {
    if (s.rank !== 0) throw new RangeError(`treeScale: the scale must be a number or a rank-0 tensor, got shape ${fmtShape(s.shape)}`);
  } else if (typeof s !== 'number') {
    throw new TypeError(`treeScale: the scale must be a number or a rank-0 tensor, got ${typeof s}`);
  }
  return treeMap((x) => mul(x, s), a);
}

/**
 * Σ over leaves of sum(a ⊙ b): the inner product of two trees as a rank-0 tensor, built from
 * `mul`, `sum` and `add` (so differentiable). All leaves must share one dtype; a tree without
 * leaves gives a float32 zero on the current backend.
 */
export function treeDot(a: unknown, b: unknown): Tensor {
  const pairs = zipWithPaths('treeDot', [a, b]);
  if (pairs.length === 0) return fromTypedArray(new Float32Array(1), [], 'float32');
  const first = pairs[0]!;
  let acc: Tensor | undefined;
  for (const { path, leaves } of pairs) {
    const [x, y] = leaves as [Tensor, Tensor];
    sameShape('treeDot', x, y, path);
    for (const t of [x, y]) {
      if (t.dtype !== first.leaves[0]!.dtype) {
        throw new TypeError(`treeDot: leaves have different dtypes: ${first.leaves[0]!.dtype} at ${showPath(first.path)} and ${t.dtype} at ${showPath(path)}; cast explicitly`);
      }
    }
    const term = sum(mul(x, y));
    acc = acc === undefined ? term : add(acc, term);
  }
  return acc!;
}

/** The Euclidean norm of all leaves together, √treeDot(a, a), as a rank-0 tensor. */
export function treeNorm(a: unknown): Tensor {
  return sqrt(treeDot(a, a));
}

/** A tree of the same structure with every Tensor leaf replaced by zeros of its shape, dtype and backend. */
export function treeZerosLike<T>(a: T): T {
  return treeMap(zerosLike, a);
}
