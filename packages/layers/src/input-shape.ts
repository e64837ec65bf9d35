import { fmtShape } from '@ddopt/tensor/validate';

/** @internal Throws unless the per-sample input shape has `rank` positive dims, naming the layer and the shape expected. */
export function checkInputShape(where: string, inputShape: readonly number[], rank: number, what: string): void {
  if (!Array.isArray(inputShape) || inputShape.length !== rank || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError(`${where}: inputShape must be ${what} (per sample, without the batch axis), got ${Array.isArray(inputShape) ? fmtShape(inputShape) : String(inputShape)}`);
  }
}
