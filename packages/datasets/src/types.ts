import type { Tensor } from '@ddopt/tensor';

/** Inputs `x` (first axis = samples) and targets `y` (int32 class labels or float targets). */
export interface Dataset {
  x: Tensor;
  y: Tensor;
  /** Class names by label index, for classification data. */
  classNames?: string[];
}
