import type { Backend } from '../../backend.js';
import { DTYPES, type TypedArray } from '../../dtype.js';
import type { Primitive } from '../../primitives.js';
import { adopt, handedOut, release } from './buffer-pool.js';
import type { CpuTensor, Kernel } from './kernel.js';
import { argReduceKernel } from './kernels/arg-reduce.js';
import { binaryKernel } from './kernels/binary.js';
import { broadcastTo } from './kernels/broadcast-to.js';
import { cast } from './kernels/cast.js';
import { compareKernel } from './kernels/compare.js';
import { concat } from './kernels/concat.js';
import { conv2d } from './kernels/conv2d.js';
import { cumsum } from './kernels/cumsum.js';
import { gather } from './kernels/gather.js';
import { matmul } from './kernels/matmul.js';
import { pad } from './kernels/pad.js';
import { reduceKernel } from './kernels/reduce.js';
import { reshape } from './kernels/reshape.js';
import { reverse } from './kernels/reverse.js';
import { scatterAdd } from './kernels/scatter-add.js';
import { slice } from './kernels/slice.js';
import { transpose } from './kernels/transpose.js';
import { unaryKernel } from './kernels/unary.js';
import { where } from './kernels/where.js';

export { naiveMatmul } from './kernels/matmul-naive.js';
export { gemm } from './kernels/matmul.js';

// One kernel per primitive; the mapped type makes a missing primitive a compile error.
const KERNELS: { [P in Primitive]: Kernel<P> } = {
  neg: unaryKernel('neg'),
  abs: unaryKernel('abs'),
  sign: unaryKernel('sign'),
  exp: unaryKernel('exp'),
  log: unaryKernel('log'),
  log1p: unaryKernel('log1p'),
  expm1: unaryKernel('expm1'),
  sqrt: unaryKernel('sqrt'),
  sin: unaryKernel('sin'),
  cos: unaryKernel('cos'),
  tanh: unaryKernel('tanh'),
  sigmoid: unaryKernel('sigmoid'),
  erf: unaryKernel('erf'),
  erfc: unaryKernel('erfc'),
  cast,
  add: binaryKernel('add'),
  sub: binaryKernel('sub'),
  mul: binaryKernel('mul'),
  div: binaryKernel('div'),
  pow: binaryKernel('pow'),
  maximum: binaryKernel('maximum'),
  minimum: binaryKernel('minimum'),
  atan2: binaryKernel('atan2'),
  equal: compareKernel('equal'),
  notEqual: compareKernel('notEqual'),
  greater: compareKernel('greater'),
  greaterEqual: compareKernel('greaterEqual'),
  less: compareKernel('less'),
  lessEqual: compareKernel('lessEqual'),
  where,
  sum: reduceKernel('sum'),
  prod: reduceKernel('prod'),
  max: reduceKernel('max'),
  argmax: argReduceKernel('argmax'),
  argmin: argReduceKernel('argmin'),
  cumsum,
  reshape,
  transpose,
  broadcastTo,
  slice,
  pad,
  concat,
  reverse,
  gather,
  scatterAdd,
  matmul,
  conv2d,
};

/**
 * The built-in cpu backend: handles are the row-major typed arrays themselves (Float32Array,
 * Float64Array, Int32Array, Uint8Array for bool), so upload keeps the array and reads return it.
 * Kernels' large outputs come from `buffer-pool.ts`, and dispose returns them there, unless a
 * read or an upload handed the array to someone else.
 */
export function createCpuBackend(): Backend {
  return {
    specificationVersion: 'v1',
    name: 'cpu',
    dtypes: DTYPES,
    upload: (values) => {
      handedOut(values);
      return values;
    },
    readSync: (handle) => {
      handedOut(handle as TypedArray);
      return handle as TypedArray;
    },
    read: (handle) => {
      handedOut(handle as TypedArray);
      return Promise.resolve(handle as TypedArray);
    },
    dispose: (handle) => release(handle as TypedArray),
    run(primitive, inputs, attrs, out) {
      const kernel = KERNELS[primitive] as Kernel<typeof primitive>;
      const xs: CpuTensor[] = inputs.map((t) => ({ data: t.handle as TypedArray, shape: t.shape, dtype: t.dtype }));
      const values = kernel(xs, attrs, out);
      adopt(values);
      return values;
    },
  };
}
