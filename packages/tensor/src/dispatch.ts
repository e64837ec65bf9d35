import { backendInstance } from './backend.js';
import { inferOutput } from './infer.js';
import type { Attrs, Primitive } from './primitives.js';
import { Tensor } from './tensor.js';

/**
 * An interceptor of primitive applications. `@ddopt/autograd` installs one to record tapes
 * and push tangents; it calls `execute` (or `bind` again, one level down) to compute values.
 */
export type BindHook = <P extends Primitive>(primitive: P, inputs: readonly Tensor[], attrs: Attrs<P>) => Tensor;

let hook: BindHook | undefined;

/** Installs `h` as the interception hook (or removes it) and returns the previous hook. */
export function setBindHook(h: BindHook | undefined): BindHook | undefined {
  const prev = hook;
  hook = h;
  return prev;
}

/** Applies a primitive: through the hook when one is installed, else directly on a backend. */
export function bind<P extends Primitive>(primitive: P, inputs: readonly Tensor[], attrs: Attrs<P>): Tensor {
  return hook ? hook(primitive, inputs, attrs) : execute(primitive, inputs, attrs);
}

/** Runs a primitive's kernel on its inputs' backend, bypassing any hook. */
export function execute<P extends Primitive>(primitive: P, inputs: readonly Tensor[], attrs: Attrs<P>): Tensor {
  const name = inputs[0]!.backend;
  for (const t of inputs) {
    if (t.backend !== name) {
      throw new Error(`${primitive}: inputs live on different backends (${inputs.map((i) => i.backend).join(', ')}); move them with toBackend`);
    }
  }
  const out = inferOutput(primitive, inputs, attrs);
  const backend = backendInstance(name);
  const handle = backend.run(primitive, inputs, attrs, out);
  return new Tensor(handle, out.shape, out.dtype, name);
}
