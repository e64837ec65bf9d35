import type * as tfc from '@tensorflow/tfjs-core';
import type { Backend } from '../../backend.js';
import type { DType, TypedArray } from '../../dtype.js';
import type { TensorSpec } from '../../infer.js';
import type { Primitive } from '../../primitives.js';
import { fmtShape, shapesEqual, sizeOf } from '../../shape.js';
import { KERNELS, type Tf, type TfTensor } from './kernels.js';

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

// tfjs may hand back another array type (webgl reads bool as float); ddopt promises the
// storage type of the dtype.
function toStorage(v: ArrayLike<number> | ArrayBufferView, dtype: DType): TypedArray {
  const values = v as ArrayLike<number>;
  switch (dtype) {
    case 'int32':
      return values instanceof Int32Array ? values : Int32Array.from(values);
    case 'bool':
      return values instanceof Uint8Array ? values : Uint8Array.from(values, (x) => (x ? 1 : 0));
    default:
      return values instanceof Float32Array ? values : Float32Array.from(values);
  }
}

/**
 * A ddopt backend running on the tfjs backend `name` (already registered with `tf`, e.g. by
 * importing tfjs-backend-wasm). Handles are `tf.Tensor`s; every kernel runs in `tf.tidy`.
 */
export async function createTfjsBackend(name: string, tf: Tf): Promise<Backend> {
  if (!(await tf.setBackend(name))) throw new Error(`tfjs could not initialise its "${name}" backend`);
  // tfjs has one current backend for the whole process: make it ours before touching tensors.
  // setBackend is synchronous for a backend tfjs has already initialised.
  const activate = (): void => {
    if (tf.getBackend() !== name) void tf.setBackend(name);
  };
  return {
    specificationVersion: 'v1',
    name,
    dtypes: DTYPES,
    upload(values, shape, dtype) {
      activate();
      return tf.tensor(values, shape as number[], dtype as tfc.DataType);
    },
    readSync(handle, spec) {
      return toStorage((handle as TfTensor).dataSync(), spec.dtype);
    },
    async read(handle, spec) {
      return toStorage(await (handle as TfTensor).data(), spec.dtype);
    },
    dispose(handle) {
      (handle as TfTensor).dispose();
    },
    run(primitive, inputs, attrs, out) {
      activate();
      const handles = inputs.map((i) => i.handle as TfTensor);
      return tf.tidy(() => {
        if (sizeOf(out.shape) === 0) return tf.zeros(out.shape as number[], out.dtype as tfc.DataType);
        const kernel = KERNELS[primitive] as (tf: Tf, xs: TfTensor[], attrs: unknown, out: TensorSpec) => TfTensor;
        const y = kernel(tf, handles, attrs, out);
        check(name, primitive, y, out);
        // An identity kernel must not hand back its input: each ddopt tensor owns its handle.
        return handles.includes(y) ? tf.clone(y) : y;
      });
    },
    numTensors() {
      return tf.memory().numTensors;
    },
  };
}

// Catches a kernel that disagrees with inferOutput before a wrong tensor escapes.
function check(backend: string, p: Primitive, y: TfTensor, out: TensorSpec): void {
  if (y.dtype !== out.dtype || !shapesEqual(y.shape, out.shape)) {
    throw new Error(`${backend} backend: ${p} kernel produced ${fmtShape(y.shape)} ${y.dtype}, expected ${fmtShape(out.shape)} ${out.dtype} (a ddopt bug)`);
  }
}
