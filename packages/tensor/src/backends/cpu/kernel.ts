import type { DType, TypedArray } from '../../dtype.js';
import type { TensorSpec } from '../../infer.js';
import type { Attrs, Primitive } from '../../primitives.js';

/** A cpu tensor as a kernel sees it: its row-major values, shape and dtype. */
export interface CpuTensor {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A cpu kernel: validated inputs, the primitive's attributes and the inferred output spec in, values out. */
export type Kernel<P extends Primitive> = (inputs: readonly CpuTensor[], attrs: Attrs<P>, out: TensorSpec) => TypedArray;
