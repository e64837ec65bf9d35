import { fmtValue } from './validate/value.js';

/** Element types a tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The floating-point dtypes (parameters, gradients, float tensors of every package). */
export type FloatDType = 'float32' | 'float64';

/** The typed array that stores each dtype on the cpu backend. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** Allocates a zero-filled typed array of the storage type for `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** Whether `dtype` is a floating-point type. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** The dtype a typed array holds natively (Uint8Array is bool's storage), or undefined for other typed arrays. */
export function dtypeOfArray(a: ArrayBufferView): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return undefined;
}

export function assertDType(dtype: unknown, where: string): asserts dtype is DType {
  if (!DTYPES.includes(dtype as DType)) {
    throw new (typeof dtype === 'string' ? RangeError : TypeError)(`${where}: dtype must be one of ${DTYPES.map((d) => `'${d}'`).join(', ')}, got ${fmtValue(dtype)}`);
  }
}
