import { treeLeaves } from '@ddopt/tensor';

/**
 * Disposes the tensors of `previous` (params, state, …) that `next` no longer holds — what a
 * training loop on a tfjs backend calls after each step. Tensors passed through unchanged (a
 * skipped `applyIfFinite` step, a masked-out leaf) are shared by both and are kept.
 */
export function disposeReplaced(previous: unknown, next: unknown): void {
  const kept = new Set(leavesOf(next));
  for (const t of leavesOf(previous)) if (!kept.has(t)) t.dispose();
}

// treeLeaves skips numbers and other static leaves, so states with step counts work as they are.
const leavesOf = (tree: unknown) => treeLeaves(tree);
