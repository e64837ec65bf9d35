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

function gemmInt(a: Int32Array, aOff: number, b: Int32Array, bOff: number, c: Int32Array, cOff: number, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = a[aOff + i * k + p]!;
      const bo = bOff + p * n;
      const co = cOff + i * n;
      for (let j = 0; j < n; j++) c[co + j] = (c[co + j]! + Math.imul(x, b[bo + j]!)) | 0;
    }
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
  for (let t = 0; t < batch; t++) {
    if (c instanceof Int32Array) gemmInt(x!.data as Int32Array, t * m * k, y!.data as Int32Array, t * k * n, c, t * m * n, m, k, n);
    else gemm(x!.data as Floats, t * m * k, y!.data as Floats, t * k * n, c as Floats, t * m * n, m, k, n);
  }
  return c;
};
