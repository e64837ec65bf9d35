import { withBindHook } from './dispatch.js';
import type { TensorSpec } from './infer.js';
import type { Attrs, Primitive } from './primitives.js';
import type { Tensor } from './tensor.js';

/** One primitive application seen by `trace`. */
export interface TracedCall {
  readonly primitive: Primitive;
  readonly inputs: readonly TensorSpec[];
  readonly output: TensorSpec;
  /** The attributes as bound (plain data; do not mutate). */
  readonly attrs: Attrs<Primitive>;
}

/** What `trace` returns: `fn`'s value, its primitive calls in order, and how many of each. */
export interface Trace<T> {
  readonly value: T;
  readonly calls: readonly TracedCall[];
  /** Calls per primitive; primitives never bound are absent. */
  readonly counts: Readonly<Partial<Record<Primitive, number>>>;
}

const spec = (t: Tensor): TensorSpec => ({ shape: [...t.shape], dtype: t.dtype });

/**
 * Runs `fn` and records every primitive bound during the call, in order. Hooks pushed inside
 * `fn` (autograd's transformations) sit above the tracer, so `trace(() => grad(f)(x))` sees the
 * primitives that reach the backend: the forward pass, the rules' ops and the backward pass.
 * Called inside a transformation's function, it sees that function's own binds, each once.
 */
export function trace<T>(fn: () => T): Trace<T> {
  if (typeof fn !== 'function') throw new TypeError(`trace: fn must be a function, got ${typeof fn}`);
  const calls: TracedCall[] = [];
  const counts: Partial<Record<Primitive, number>> = {};
  const value = withBindHook((primitive, inputs, attrs, next) => {
    const out = next(primitive, inputs, attrs);
    calls.push({ primitive, inputs: inputs.map(spec), output: spec(out), attrs: attrs as Attrs<Primitive> });
    counts[primitive] = (counts[primitive] ?? 0) + 1;
    return out;
  }, fn);
  return { value, calls, counts };
}
