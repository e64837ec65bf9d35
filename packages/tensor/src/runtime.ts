import { version } from '../package.json';
import type { Backend } from './backend.js';
import type { BindHook, BindNext } from './dispatch.js';
import type { Tensor } from './tensor.js';

/** @internal One entry of the dispatcher's hook stack. */
export interface Frame {
  readonly hook: BindHook;
  readonly next: BindNext;
}

/** A backend factory, run on first `setBackend`/`initBackend`. */
export type Factory = () => Backend | Promise<Backend>;

/**
 * @internal The state every copy of @ddopt/tensor loaded in one process must share: the hook
 * stack, the backend registry, the tidy scopes and the tensor id counter. A second copy (an ESM
 * and a CJS load of one install, or a nested install of the same version) reads the first one's,
 * so a hook autograd pushes sees the ops the user's copy binds, and a backend registered through
 * one copy is the same backend for all of them.
 */
export interface Runtime {
  /** The @ddopt/tensor version that created it. */
  readonly version: string;
  /** Where that copy was loaded from (its module URL). */
  readonly path: string;
  /** The hook that receives the next bind: the innermost one, or the one now running. */
  top: Frame | undefined;
  readonly factories: Map<string, Factory>;
  readonly ready: Map<string, Backend>;
  readonly failures: Map<string, string>;
  current: string;
  readonly scopes: Set<Tensor>[];
  nextId: number;
}

/** @internal The key of the shared runtime on `globalThis` (`Symbol.for`, so every copy finds it). */
export const RUNTIME_KEY: unique symbol = Symbol.for('@ddopt/tensor runtime') as never;

/** @internal Where this copy of the package was loaded from, as a path where it is a file. */
export function modulePath(url: string): string {
  return url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
}

/**
 * @internal Returns the process's runtime, creating it on first load. A copy of another version
 * refuses to load: its primitives, tensors and backends could not be mixed with the first one's,
 * and before this check such a mix differentiated to silent zeros.
 */
export function sharedRuntime(thisVersion: string = version, thisPath: string = modulePath(import.meta.url)): Runtime {
  const g = globalThis as { [RUNTIME_KEY]?: Runtime };
  const have = g[RUNTIME_KEY];
  if (have !== undefined) {
    if (have.version !== thisVersion) {
      throw new Error(
        `@ddopt/tensor: two different versions are loaded in one process: ${have.version} from ${have.path} and ${thisVersion} from ${thisPath}. ` +
          'Tensors, hooks and backends exist once per process, so every @ddopt package must use one @ddopt/tensor: ' +
          'install a single version (npm ls @ddopt/tensor shows who pulls in which; npm dedupe or aligning the versions removes the second).',
      );
    }
    return have;
  }
  const rt: Runtime = {
    version: thisVersion,
    path: thisPath,
    top: undefined,
    factories: new Map(),
    ready: new Map(),
    failures: new Map(),
    current: 'cpu',
    scopes: [],
    nextId: 0,
  };
  Object.defineProperty(globalThis, RUNTIME_KEY, { value: rt, configurable: true, enumerable: false, writable: false });
  return rt;
}

/** @internal This process's runtime. */
export const runtime: Runtime = sharedRuntime();
