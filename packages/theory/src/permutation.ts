// The distance between two sets of hidden units that ignores their order — seed 003's
// dist(W, W') = min over permutations ‖W − W'‖_F (Jagatap & Hegde): a two-layer net with a sum
// readout is the same function under any relabelling of its units. The matching is the exact
// linear assignment of @ddopt/diff-solvers (Kuhn–Munkres).
import { linearAssignment } from '@ddopt/diff-solvers';
import { type Tensor, expandDims, mul, sqrt, square, sub, sum } from '@ddopt/tensor';
import { floatMatrix, sameDType, sameWidth } from './check.js';

/**
 * min over permutations π of ‖A − P_πB‖_F for hidden units as rows, A and B [n, k] (seed 003's
 * dist of Jagatap & Hegde, there over columns); exact, by linear assignment on ‖aᵢ − bⱼ‖².
 */
export function permutationDistance(A: Tensor, B: Tensor): number {
  const where = 'permutationDistance';
  const a = floatMatrix(where, 'A', A);
  const b = floatMatrix(where, 'B', B);
  sameDType(where, ['A', a], ['B', b]);
  sameWidth(where, ['A', a], ['B', b]);
  if (b.shape[0] !== a.shape[0]) throw new RangeError(`${where}: A and B must have the same number of rows (units), got ${a.shape[0]} and ${b.shape[0]}`);
  const cost = sum(square(sub(expandDims(a, 1), expandDims(b, 0))), { axis: -1 });
  return sqrt(sum(mul(linearAssignment(cost), cost))).item();
}
