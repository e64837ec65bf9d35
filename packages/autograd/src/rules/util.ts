import { type Tensor, bind, broadcastTo, reshape } from '@ddopt/tensor';
import type { MaybeTensor } from './types.js';

/** Sums `x` over `axes` (sorted, unique), dropping them. */
export function sumAxes(x: Tensor, axes: readonly number[]): Tensor {
  return axes.length === 0 ? x : bind('sum', [x], { axes: [...axes] });
}

/** `shape` with the reduced `axes` kept as size 1. */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Broadcasts a reduction's result (axes dropped) back over the input's `shape`. */
export function unreduce(y: Tensor, shape: readonly number[], axes: readonly number[]): Tensor {
  return broadcastTo(reshape(y, keptShape(shape, axes)), shape);
}

/** Sum of the defined terms; undefined when none is. */
export function addAll(terms: readonly MaybeTensor[], add: (a: Tensor, b: Tensor) => Tensor): MaybeTensor {
  let acc: MaybeTensor;
  for (const t of terms) if (t !== undefined) acc = acc === undefined ? t : add(acc, t);
  return acc;
}

/** The permutation that undoes `perm`. */
export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
}
