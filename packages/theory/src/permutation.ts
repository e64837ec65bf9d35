// The distance between two sets of hidden units that ignores their order — seed 003's
// dist(W, W') = min over permutations ‖W − W'‖_F (Jagatap & Hegde): a two-layer net with a sum
// readout is the same function under any relabelling of its units.
import type { Tensor } from '@ddopt/tensor';
import { floatMatrix, sameWidth } from './check.js';

/**
 * The minimum-cost perfect matching of a square cost matrix (row-major, n × n) by the Hungarian
 * method with potentials, O(n³); returns assignment[i] = the column matched to row i.
 */
export function minCostAssignment(cost: Float64Array, n: number): number[] {
  const INF = Number.POSITIVE_INFINITY;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j] = row matched to column j (1-based; 0 = none)
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(INF);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * n + (j - 1)]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Array<number>(n).fill(-1);
  for (let j = 1; j <= n; j++) if (p[j]! > 0) assignment[p[j]! - 1] = j - 1;
  return assignment;
}

/**
 * min over permutations π of ‖A − P_πB‖_F for hidden units as rows, A and B [n, k] (seed 003's
 * dist of Jagatap & Hegde, there over columns); exact, by the Hungarian method.
 */
export function permutationDistance(A: Tensor, B: Tensor): number {
  const where = 'permutationDistance';
  const a = floatMatrix(where, 'A', A);
  const b = floatMatrix(where, 'B', B);
  sameWidth(where, ['A', a], ['B', b]);
  const [n, k] = a.shape as [number, number];
  if (b.shape[0] !== n) throw new RangeError(`${where}: A and B must have the same number of rows (units), got ${n} and ${b.shape[0]}`);
  const x = a.dataSync();
  const y = b.dataSync();
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += (x[i * k + c]! - y[j * k + c]!) ** 2;
      cost[i * n + j] = s;
    }
  }
  const match = minCostAssignment(cost, n);
  return Math.sqrt(match.reduce((s, j, i) => s + cost[i * n + j]!, 0));
}
