// The exact linear assignment problem (min-cost bipartite matching), the discrete problem DMM-Net
// relaxes: Kuhn–Munkres with potentials and shortest augmenting paths, O(n²m) for n ≤ m.
import type { Tensor } from '@ddopt/tensor';
import { fmtShape } from '@ddopt/tensor/validate';
import { assertFinite, floatTensor, writeTensor } from './util.js';

/** Row → column of a min-cost matching of the n×m cost `c` (row-major), n ≤ m: every row gets a distinct column. */
function assignRows(c: Float64Array, n: number, m: number): Int32Array {
  // 1-based potentials u (rows), v (columns); p[j] is the row matched to column j (0 = none).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = c[(i0 - 1) * m + j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
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
  const rowTo = new Int32Array(n);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) rowTo[p[j]! - 1] = j - 1;
  return rowTo;
}

/**
 * The exact minimum-cost assignment for a cost matrix C [n, m] as a 0/1 matrix X of C's dtype:
 * min Tr(CXᵀ) over X ∈ {0, 1}^{n×m} with min(n, m) ones, at most one per row and per column
 * (X1 = 1 and Xᵀ1 ≤ 1 when n ≤ m). Rectangular C is allowed. Not differentiable: a constant.
 */
export function linearAssignment(C: Tensor): Tensor {
  const where = 'linearAssignment';
  const dtype = floatTensor(where, 'C', C);
  if (C.rank !== 2 || C.shape[0] === 0 || C.shape[1] === 0) throw new RangeError(`${where}: C must be a cost matrix [n, m] with n, m ≥ 1, got ${fmtShape(C.shape)}`);
  const [n, m] = C.shape as [number, number];
  const values = Float64Array.from(C.dataSync());
  assertFinite(where, 'C', values, C.shape);
  const out = new Float64Array(n * m);
  if (n <= m) {
    const rowTo = assignRows(values, n, m);
    for (let i = 0; i < n; i++) out[i * m + rowTo[i]!] = 1;
  } else {
    const t = new Float64Array(m * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = values[i * m + j]!;
    const colTo = assignRows(t, m, n);
    for (let j = 0; j < m; j++) out[colTo[j]! * m + j] = 1;
  }
  return writeTensor(out, [n, m], dtype, C.backend);
}
