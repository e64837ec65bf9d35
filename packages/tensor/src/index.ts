// @ddopt/tensor — tensors, primitives, the dispatcher, backends, random numbers, linalg, pytrees.
export { Tensor, isTensor, type NestedArray } from './tensor.js';
export type { DType, FloatDType, TypedArray } from './dtype.js';
export { DTYPES, isFloat } from './dtype.js';
export { type Shape, broadcastShapes, sizeOf } from './shape.js';
export { PRIMITIVES, type Primitive, type PrimitiveAttrs, type Attrs } from './primitives.js';
export { inferOutput, type TensorSpec } from './infer.js';
export { bind, execute, withBindHook, type BindHook, type BindNext } from './dispatch.js';
export { trace, type Trace, type TracedCall } from './trace.js';
export { type Backend, registerBackend, listBackends, initBackend, setBackend, getBackend, withBackend } from './backend.js';
export { tidy, keep, dispose } from './scope.js';
export * from './creation.js';
export * from './ops/index.js';
export * from './random.js';
export * from './tree.js';
export * from './linalg/index.js';
export { toBackend, numTensors } from './transfer.js';
export { cpuThreads } from './backends/cpu/kernels/matmul-parallel.js';
export { naiveMatmul } from './backends/cpu/kernels/matmul-naive.js';
