import type { Tensor } from '../tensor.js';
import { childPath, kindOf, showPath } from './structure.js';

function describe(x: unknown): string {
  const kind = kindOf(x);
  if (kind === 'tensor') return 'Tensor';
  if (kind === 'array') return `array of length ${(x as unknown[]).length}`;
  if (kind === 'static') return typeof x === 'object' ? `${(x as object).constructor?.name ?? 'object'} instance` : typeof x;
  return kind;
}

function differ(op: string, path: string, a: string, b: string, other: number): Error {
  const which = `tree 0 vs tree ${other}`;
  return new TypeError(`${op}: trees differ at ${showPath(path)}: ${a} vs ${b} (${which})`);
}

const isEmpty = (k: string) => k === 'null' || k === 'undefined';

/**
 * @internal Walks trees of one structure in step, calling `leaf` on each tuple of matching
 * Tensors, and returns the first tree's structure holding the results. Throws naming the first
 * path where a tree differs from the first one.
 */
export function walkTogether(op: string, trees: readonly unknown[], leaf: (xs: Tensor[], path: string) => unknown, path = ''): unknown {
  const first = trees[0];
  const kind = kindOf(first);
  for (let i = 1; i < trees.length; i++) {
    const other = trees[i];
    const k = kindOf(other);
    if (k !== kind && !(isEmpty(k) && isEmpty(kind))) throw differ(op, path, describe(first), describe(other), i);
    if (kind === 'array' && (other as unknown[]).length !== (first as unknown[]).length) throw differ(op, path, describe(first), describe(other), i);
    if (kind === 'object') {
      const a = first as Record<string, unknown>;
      const b = other as Record<string, unknown>;
      for (const key of Object.keys(a)) if (!Object.hasOwn(b, key)) throw differ(op, childPath(path, key), describe(a[key]), 'missing', i);
      for (const key of Object.keys(b)) if (!Object.hasOwn(a, key)) throw differ(op, childPath(path, key), 'missing', describe(b[key]), i);
    }
  }
  switch (kind) {
    case 'tensor':
      return leaf(trees as Tensor[], path);
    case 'array':
      return (first as unknown[]).map((_, j) =>
        walkTogether(
          op,
          trees.map((t) => (t as unknown[])[j]),
          leaf,
          childPath(path, j),
        ),
      );
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(first as object)) {
        out[key] = walkTogether(
          op,
          trees.map((t) => (t as Record<string, unknown>)[key]),
          leaf,
          childPath(path, key),
        );
      }
      return out;
    }
    default:
      return first; // null, undefined and static leaves are copied from the first tree
  }
}

/**
 * Applies `fn` to the Tensor leaves of `tree` (and the matching leaves of `rest`, which must
 * have the same structure) and returns a tree of the results; other leaves are copied.
 */
export function treeMap<T>(fn: (leaf: Tensor, ...rest: Tensor[]) => Tensor, tree: T, ...rest: unknown[]): T {
  if (typeof fn !== 'function') throw new TypeError(`treeMap: the first argument must be a function, got ${typeof fn}`);
  return walkTogether('treeMap', [tree, ...rest], (xs) => fn(xs[0]!, ...xs.slice(1))) as T;
}

/** The Tensor leaves of a pytree, depth-first in container order (as `treeFlatten`). */
export function treeLeaves(tree: unknown): Tensor[] {
  const out: Tensor[] = [];
  walkTogether('treeLeaves', [tree], (xs) => out.push(xs[0]!));
  return out;
}

/** @internal Matching leaves of trees of one structure, with their paths. */
export function zipWithPaths(op: string, trees: readonly unknown[]): { path: string; leaves: Tensor[] }[] {
  const out: { path: string; leaves: Tensor[] }[] = [];
  walkTogether(op, trees, (leaves, path) => out.push({ path, leaves }));
  return out;
}

/** Pairs of matching Tensor leaves of two trees of the same structure, in leaf order. */
export function treeZip(a: unknown, b: unknown): [Tensor, Tensor][] {
  return zipWithPaths('treeZip', [a, b]).map(({ leaves }) => [leaves[0]!, leaves[1]!]);
}
