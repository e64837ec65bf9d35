import { type Tensor, treeLeaves } from '@ddopt/tensor';

/**
 * Disposes the tensors of `previous` (params, state, …) that `next` no longer holds and that
 * `protect` does not name — what a training loop on a tfjs backend calls after each step.
 * Tensors passed through unchanged (a skipped `applyIfFinite` step, a masked-out leaf) are
 * shared by both and are kept; so are protected ones (initial weights several runs share, data).
 */
export function disposeReplaced(previous: unknown, next: unknown, protect?: ReadonlySet<Tensor>): void {
  // treeLeaves skips numbers and other static leaves, so states with step counts work as they are.
  const kept = new Set(treeLeaves(next));
  for (const t of treeLeaves(previous)) if (!kept.has(t) && !protect?.has(t)) t.dispose();
}
