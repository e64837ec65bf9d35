import { allocate } from '../../../dtype.js';
import type { Kernel } from '../kernel.js';

type Floats = Float32Array | Float64Array;

/** Row-major c (m×n) += a (m×k) · b (k×n) at the given offsets. Placeholder loop, replaced by the blocked kernel. */
export function gemm(a: Floats, aOff: number, b: Floats, bOff: number, c: Floats, cOff: number, m: number, k: number, n: number): void {
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const x = a[aOff + i * k + p]!;
      const bo = bOff + p * n;
      for (let j = 0; j < n; j++) row[j] += x * b[bo + j]!;
    }
    for (let j = 0; j < n; j++) c[cOff + i * n + j] = row[j]!;
  }
}

/** matmul on equal-rank (≥ 2) tensors with equal batch dims: [..., m, k] · [..., k, n]. */
export const matmul: Kernel<'matmul'> = ([x, y], _attrs, out) => {
  const r = x!.shape.length;
  const m = x!.shape[r - 2]!;
  const k = x!.shape[r - 1]!;
  const n = y!.shape[r - 1]!;
  let batch = 1;
  for (let d = 0; d < r - 2; d++) batch *= x!.shape[d]!;
  const c = allocate(out.dtype, batch * m * n);
  // infer.ts admits float dtypes only.
  for (let t = 0; t < batch; t++) gemm(x!.data as Floats, t * m * k, y!.data as Floats, t * k * n, c as Floats, t * m * n, m, k, n);
  return c;
};
