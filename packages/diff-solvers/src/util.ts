// Shared plumbing of the solvers: reading tensors into float64 arrays, writing results back in
// the caller's dtype and backend, and marking hand-differentiated results as first-order only.
import { customVjp } from '@ddopt/autograd';
import { type FloatDType, type Tensor, isFloat, tensor } from '@ddopt/tensor';
import { assertTensor, fmtShape } from '@ddopt/tensor/validate';

/** The values of `x` as a fresh Float64Array (the solvers compute in float64 whatever the dtype). */
export function readF64(x: Tensor): Float64Array {
  return Float64Array.from(x.dataSync());
}

/** A tensor of `dtype` on `backend` holding `values` (float64 arrays are rounded for float32). */
export function writeTensor(values: Float64Array, shape: readonly number[], dtype: FloatDType, backend: string): Tensor {
  return tensor(dtype === 'float64' ? values : Float32Array.from(values), { shape, dtype, backend });
}

/** Throws unless `x` is a float tensor; returns its dtype. */
export function floatTensor(where: string, arg: string, x: unknown): FloatDType {
  assertTensor(where, arg, x);
  if (!isFloat(x.dtype)) throw new TypeError(`${where}: ${arg} must be a float32 or float64 tensor, got ${x.dtype} ${fmtShape(x.shape)}`);
  return x.dtype as FloatDType;
}

/** Throws unless every tensor has `dtype`, naming the first that differs (nothing is cast). */
export function sameDtype(where: string, dtype: FloatDType, named: Record<string, Tensor>): void {
  for (const [name, t] of Object.entries(named)) {
    if (t.dtype !== dtype) throw new TypeError(`${where}: ${name} is ${t.dtype} but the other arguments are ${dtype}; cast explicitly (nothing is cast silently)`);
  }
}

/** Throws a RangeError naming the first non-finite entry of `values`. */
export function assertFinite(where: string, arg: string, values: ArrayLike<number>, shape: readonly number[]): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new RangeError(`${where}: ${arg} ${fmtShape(shape)} has a non-finite entry ${values[i]} at flat index ${i}`);
  }
}

/**
 * `make()` — a tensor computed from values read out of `inputs` — as a result that outer
 * derivative levels cannot see through: first derivatives come from the caller's `customVjp`,
 * and an outer level (a second derivative) that reaches it throws instead of treating it as a
 * constant, which would silently give zero.
 */
export function firstOrderOnly(where: string, inputs: readonly Tensor[], make: () => Tensor): Tensor {
  const f = customVjp(
    (..._xs: Tensor[]) => make(),
    (..._xs: Tensor[]) => [make(), null] as [Tensor, null],
    () => {
      throw new Error(`${where}: no second derivatives — its first derivative is a hand-written adjoint computed from values, so a derivative of that derivative is not available`);
    },
  );
  return f(...inputs);
}
