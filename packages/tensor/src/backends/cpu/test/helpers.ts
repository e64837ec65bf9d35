import { rng as unitRng } from '../../../../test/conformance/reference.js';
import { tensor } from '../../../creation.js';
import { execute } from '../../../dispatch.js';
import type { DType } from '../../../dtype.js';
import type { Attrs, Primitive } from '../../../primitives.js';
import type { Tensor } from '../../../tensor.js';

/** A cpu tensor from flat values and a shape. */
export function t(values: ArrayLike<number>, shape: readonly number[], dtype: DType = 'float64'): Tensor {
  return tensor(Array.from(values), { shape, dtype, backend: 'cpu' });
}

/** Runs primitive `p` through the dispatcher (no hook) and returns the output tensor. */
export function run<P extends Primitive>(p: P, inputs: Tensor[], attrs: Attrs<P>): Tensor {
  return execute(p, inputs, attrs);
}

/** The output's values as a plain array (for toEqual). */
export function vals(x: Tensor): number[] {
  return Array.from(x.dataSync());
}

/** A seeded stream of uniform numbers in [-1, 1), for inputs of random size. */
export function rng(seed: number): () => number {
  const unit = unitRng(seed);
  return () => unit() * 2 - 1;
}

/** Flat index → multi-index for a row-major shape. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return idx;
}

/** Multi-index → flat index for a row-major shape. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let d = 0; d < shape.length; d++) f = f * shape[d]! + idx[d]!;
  return f;
}
