// Checks shared by the package's functions; option records go through @ddopt/tensor/validate's checkOptions.
import { type Tensor, isFloat, isTensor } from '@ddopt/tensor';
import { fmtShape, fmtValue } from '@ddopt/tensor/validate';

/** @internal Throws unless `f` is a function, naming `where` and what it should be. */
export function assertFunction(where: string, what: string, f: unknown, shape = 'of the params returning a scalar Tensor'): void {
  if (typeof f !== 'function') throw new TypeError(`${where}: ${what} must be a function ${shape}, got ${fmtValue(f)}`);
}

/** @internal Throws unless `out` is a one-element float tensor, naming `where` and the function that returned it. */
export function assertScalarLoss(where: string, what: string, out: unknown): asserts out is Tensor {
  if (!isTensor(out)) throw new TypeError(`${where}: ${what} must return a scalar Tensor, got ${fmtValue(out)}`);
  if (out.size !== 1) throw new RangeError(`${where}: ${what} must return a scalar, got a tensor of shape ${fmtShape(out.shape)} (${out.size} elements); reduce it (mean, sum)`);
  if (!isFloat(out.dtype)) throw new TypeError(`${where}: ${what} must return a float scalar, got ${out.dtype}`);
}

/** @internal `f` with its result checked to be a float scalar, so a wrong loss is reported by the method that took it. */
export function scalarLoss<P>(where: string, f: (params: P) => Tensor, what = 'the loss f(params)'): (params: P) => Tensor {
  assertFunction(where, 'the loss f', f);
  return (p: P) => {
    const out = f(p);
    assertScalarLoss(where, what, out);
    return out;
  };
}
