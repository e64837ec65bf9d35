import { output } from '../buffer-pool.js';
import type { Kernel } from '../kernel.js';
import { createGemm } from './gemm-core.js';
import { microKernel } from './matmul-micro.js';
import { outerBatch } from './matmul-outer.js';
import { gemmBatch } from './matmul-parallel.js';

type Floats = Float32Array | Float64Array;

/**
 * Row-major c (m×n, at cOff) = a (m×k, at aOff) · b (k×n, at bOff), overwriting that block of c,
 * on this thread. Accumulates in doubles for both float widths; a float32 c rounds once per element.
 */
export const gemm = createGemm(microKernel).gemm;

/** matmul on equal-rank (≥ 2) tensors with equal batch dims: [..., m, k] · [..., k, n]; large products use worker threads. */
export const matmul: Kernel<'matmul'> = ([x, y], _attrs, out) => {
  const r = x!.shape.length;
  const m = x!.shape[r - 2]!;
  const k = x!.shape[r - 1]!;
  const n = y!.shape[r - 1]!;
  let batch = 1;
  for (let d = 0; d < r - 2; d++) batch *= x!.shape[d]!;
  const c = output(out.dtype, batch * m * n) as Floats;
  if (c.length === 0) return c;
  // infer.ts admits float dtypes only.
  const a = x!.data as Floats;
  const b = y!.data as Floats;
  if (k === 1) outerBatch(a, b, c, batch, m, n);
  else gemmBatch({ a, aOff: 0, aStride: m * k, b, bOff: 0, bStride: k * n, c, cOff: 0, cStride: m * n, batch, m, k, n });
  return c;
};
