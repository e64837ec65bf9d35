import { backendInstance, getBackend } from './backend.js';
import { fromTypedArray } from './creation.js';
import type { Tensor } from './tensor.js';

/**
 * Copies `t` onto backend `name` (which must be started); returns `t` itself when it already
 * lives there. A dtype the target cannot store is refused: cast explicitly first.
 */
export function toBackend(t: Tensor, name: string): Tensor {
  if (t.backend === name) return t;
  const target = backendInstance(name);
  if (!target.dtypes.includes(t.dtype)) {
    throw new TypeError(
      `toBackend: backend "${name}" does not support ${t.dtype} (it stores ${target.dtypes.join(', ')}); ` +
        `cast the tensor on "${t.backend}" first, e.g. cast(t, 'float32')`,
    );
  }
  return fromTypedArray(t.dataSync(), t.shape, t.dtype, name);
}

/** Live tensors held by backend `name` (tfjs's count for wasm/webgl; 0 for cpu, which is GC'd). */
export function numTensors(name: string = getBackend()): number {
  return backendInstance(name).numTensors?.() ?? 0;
}
