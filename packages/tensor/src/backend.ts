import { createCpuBackend } from './backends/cpu/index.js';
import type { DType, TypedArray } from './dtype.js';
import type { TensorSpec } from './infer.js';
import type { Attrs, Primitive } from './primitives.js';
import { type Factory, runtime } from './runtime.js';

/**
 * A kernel provider. Tensors on a backend hold an opaque `handle` that only that backend reads.
 * `run` receives validated inputs and the already inferred output spec (see `inferOutput`).
 */
export interface Backend {
  readonly specificationVersion: 'v1';
  readonly name: string;
  /** Dtypes this backend stores; others are refused with an error naming the backend. */
  readonly dtypes: readonly DType[];
  /** Stores values (already of the storage type for `dtype`) and returns a handle. */
  upload(values: TypedArray, shape: readonly number[], dtype: DType): unknown;
  readSync(handle: unknown, spec: TensorSpec): TypedArray;
  read(handle: unknown, spec: TensorSpec): Promise<TypedArray>;
  dispose(handle: unknown): void;
  run<P extends Primitive>(primitive: P, inputs: readonly { handle: unknown; shape: readonly number[]; dtype: DType }[], attrs: Attrs<P>, out: TensorSpec): unknown;
  /** Live tensors the backend holds, where it counts them (tfjs backends do). */
  numTensors?(): number;
}

// The registry lives in the process's shared runtime, so a backend registered through one loaded
// copy of this package (say its CJS build) is the backend every other copy (the ESM build) uses.
// cpu is built in and always available; tfjs backends register through their subpaths.
const { factories, ready, failures } = runtime;
if (!factories.has('cpu')) factories.set('cpu', createCpuBackend);

/** Registers a backend factory under `name`; the factory runs on first `setBackend`/`initBackend`. */
export function registerBackend(name: string, factory: Factory): void {
  factories.set(name, factory);
  ready.delete(name);
  failures.delete(name);
}

/** Names of registered backends. */
export function listBackends(): string[] {
  return [...factories.keys()];
}

function describeAvailable(): string {
  return listBackends()
    .map((n) => (failures.has(n) ? `${n} (failed: ${failures.get(n)})` : ready.has(n) ? n : `${n} (not initialized)`))
    .join(', ');
}

/** Starts the backend `name` (once) and returns it; a failure says why and lists the others. */
export async function initBackend(name: string): Promise<Backend> {
  const have = ready.get(name);
  if (have) return have;
  const factory = factories.get(name);
  if (!factory) throw new Error(`unknown backend "${name}"; registered: ${describeAvailable()}`);
  try {
    const b = await factory();
    ready.set(name, b);
    failures.delete(name);
    return b;
  } catch (e) {
    failures.set(name, (e as Error).message);
    throw new Error(`backend "${name}" could not start: ${(e as Error).message}; registered: ${describeAvailable()}`);
  }
}

/** Returns the started backend `name`, or throws saying how to start it. */
export function backendInstance(name: string): Backend {
  const b = ready.get(name);
  if (b) return b;
  if (!factories.has(name)) throw new Error(`unknown backend "${name}"; registered: ${describeAvailable()}`);
  const f = factories.get(name)!();
  if (!(f instanceof Promise)) {
    ready.set(name, f);
    return f;
  }
  f.then((b) => ready.set(name, b)).catch((e) => failures.set(name, e.message));
  throw new Error(`backend "${name}" is not started yet; await setBackend("${name}") or initBackend("${name}") first`);
}

/** Makes `name` the backend new tensors are created on (starting it if needed). */
export async function setBackend(name: string): Promise<void> {
  await initBackend(name);
  runtime.current = name;
}

/** Name of the backend new tensors are created on. */
export function getBackend(): string {
  return runtime.current;
}

/** Runs `fn` with `name` as the current backend; the backend must already be started. */
export function withBackend<T>(name: string, fn: () => T): T {
  backendInstance(name);
  const prev = runtime.current;
  runtime.current = name;
  try {
    return fn();
  } finally {
    runtime.current = prev;
  }
}
