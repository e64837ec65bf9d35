import { type Tensor, isTensor } from '@ddopt/tensor';

/** Every tensor reachable in a nested structure of objects and arrays (numbers and other values skipped). */
export function tensorsIn(tree: unknown, out = new Set<Tensor>()): Set<Tensor> {
  if (tree === null || typeof tree !== 'object') return out;
  if (isTensor(tree)) out.add(tree);
  else for (const v of Array.isArray(tree) ? tree : Object.values(tree)) tensorsIn(v, out);
  return out;
}

/**
 * Disposes the tensors of `old` that `next` no longer holds, except the `protect`ed ones: how a
 * training loop on a tfjs backend keeps its tensor count flat while state leaves are reused.
 */
export function disposeReplaced(old: unknown, next: unknown, protect: Set<Tensor>): void {
  const keep = tensorsIn(next);
  for (const t of tensorsIn(old)) if (!keep.has(t) && !protect.has(t)) t.dispose();
}
