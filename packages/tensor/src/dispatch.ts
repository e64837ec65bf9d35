import { backendInstance } from './backend.js';
import { inferOutput } from './infer.js';
import type { Attrs, Primitive } from './primitives.js';
import { type Frame, runtime } from './runtime.js';
import { Tensor } from './tensor.js';

/** Applies a primitive one step down the hook stack: the next hook, or `execute` at the bottom. */
export type BindNext = <P extends Primitive>(primitive: P, inputs: readonly Tensor[], attrs: Attrs<P>) => Tensor;

/**
 * An interceptor of primitive applications (`@ddopt/autograd` records tapes and pushes tangents
 * in one, `trace` records calls). It receives every `bind` made while it is the innermost hook
 * and returns the result, usually by forwarding with `next`. A bind made while a hook runs goes
 * to that hook, never to the hooks above it (they have seen the call already).
 */
export type BindHook = <P extends Primitive>(primitive: P, inputs: readonly Tensor[], attrs: Attrs<P>, next: BindNext) => Tensor;

// The hook that receives the next bind (the innermost one, or the one now running) is
// `runtime.top`: one stack per process, shared by every loaded copy of this package.
const rt = runtime;

function frame(hook: BindHook, below: Frame | undefined): Frame {
  if (below === undefined) return { hook, next: execute };
  const next: BindNext = (primitive, inputs, attrs) => {
    const saved = rt.top;
    rt.top = below;
    try {
      return below.hook(primitive, inputs, attrs, below.next);
    } finally {
      rt.top = saved;
    }
  };
  return { hook, next };
}

/** Runs `fn` with `hook` pushed on the dispatcher's hook stack; it is popped when `fn` returns or throws. */
export function withBindHook<T>(hook: BindHook, fn: () => T): T {
  if (typeof hook !== 'function') throw new TypeError(`withBindHook: hook must be a function, got ${typeof hook}`);
  const saved = rt.top;
  rt.top = frame(hook, saved);
  try {
    return fn();
  } finally {
    rt.top = saved;
  }
}

/** Applies a primitive: through the innermost hook when one is pushed, else directly on a backend. */
export function bind<P extends Primitive>(primitive: P, inputs: readonly Tensor[], attrs: Attrs<P>): Tensor {
  const f = rt.top;
  return f === undefined ? execute(primitive, inputs, attrs) : f.hook(primitive, inputs, attrs, f.next);
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
