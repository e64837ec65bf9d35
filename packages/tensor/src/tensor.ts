import { backendInstance } from './backend.js';
import type { DType, TypedArray } from './dtype.js';
import { runtime } from './runtime.js';
import { track } from './scope.js';
import { type Shape, fmtShape, sizeOf, stridesOf } from './shape.js';

/** Nested JS arrays of numbers or booleans, as returned by `toArray`. */
export type NestedArray = number | boolean | NestedArray[];

const ABSTRACT = Symbol.for('@ddopt/tensor.abstract');

/**
 * The storage of an abstract tensor: a value that has a shape and a dtype but whose entries live
 * elsewhere (one example of a batch inside `vmap` in `@ddopt/autograd`). Reading it, running a
 * kernel on it or moving it throws `message`.
 */
class AbstractHandle {
  // Recognized by this brand, not instanceof, so two loaded copies of this package agree.
  readonly [ABSTRACT] = true;
  constructor(readonly message: string) {}
}

function isAbstractHandle(h: unknown): h is AbstractHandle {
  return typeof h === 'object' && h !== null && (h as { [ABSTRACT]?: true })[ABSTRACT] === true;
}

/**
 * An immutable n-dimensional array, row-major, living on one backend. Create tensors with
 * `tensor`, `zeros`, ... and combine them with the free functions (`add`, `matmul`, ...).
 */
export class Tensor {
  /**
   * Marks tensors structurally, so pytree code works across duplicated module copies. A getter,
   * not a field: tsup's CJS code splitting rewrites `this.isTensor = …` into an assignment to
   * the exported function of the same name.
   */
  get isTensor(): true {
    return true;
  }
  /** Unique per process (across every loaded copy of this package); stable identity for tapes and caches. */
  readonly id = runtime.nextId++;
  readonly size: number;
  readonly rank: number;
  #handle: unknown;

  /** @internal Use the creation functions instead. */
  constructor(
    handle: unknown,
    readonly shape: Shape,
    readonly dtype: DType,
    readonly backend: string,
  ) {
    this.#handle = handle;
    this.size = sizeOf(shape);
    this.rank = shape.length;
    Object.freeze(shape);
    track(this);
  }

  /** @internal The backend's storage for this tensor. */
  get handle(): unknown {
    const h = this.#handle;
    if (h === undefined) throw new Error(`tensor #${this.id} ${fmtShape(this.shape)} ${this.dtype} was disposed`);
    if (isAbstractHandle(h)) throw new Error(`${h.message} (tensor #${this.id} ${fmtShape(this.shape)} ${this.dtype})`);
    return h;
  }

  /** Whether this tensor is abstract (see `abstractTensor`): it has a shape and dtype but no values here. */
  get isAbstract(): boolean {
    return isAbstractHandle(this.#handle);
  }

  /** Whether `dispose` has been called. */
  get isDisposed(): boolean {
    return this.#handle === undefined;
  }

  /** Values as a typed array (a copy for tfjs backends; do not mutate). */
  dataSync(): TypedArray {
    return backendInstance(this.backend).readSync(this.handle, this);
  }

  /** Values as a typed array, without blocking where the backend allows. */
  data(): Promise<TypedArray> {
    return backendInstance(this.backend).read(this.handle, this);
  }

  /** Values as nested JS arrays (numbers, or booleans for bool tensors). */
  toArray(): NestedArray {
    const v = this.dataSync();
    const conv = this.dtype === 'bool' ? (x: number) => x !== 0 : (x: number) => x;
    const strides = stridesOf(this.shape);
    const build = (dim: number, off: number): NestedArray => {
      if (dim === this.rank) return conv(v[off]!);
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[dim]!; i++) out.push(build(dim + 1, off + i * strides[dim]!));
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a size-1 tensor. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item: tensor has shape ${fmtShape(this.shape)} (${this.size} elements), expected exactly 1`);
    return this.dataSync()[0]!;
  }

  /** Releases backend memory (tfjs backends); the tensor is unusable afterwards. */
  dispose(): void {
    if (this.#handle === undefined) return;
    // An abstract tensor holds no memory; it stays as it is, so a use after its scope ends still says what it was.
    if (isAbstractHandle(this.#handle)) return;
    backendInstance(this.backend).dispose(this.#handle);
    this.#handle = undefined;
  }

  toString(): string {
    const head = `Tensor(${fmtShape(this.shape)}, ${this.dtype}, ${this.backend})`;
    if (this.isDisposed) return `${head} <disposed>`;
    if (this.isAbstract) return `${head} <abstract>`;
    if (this.size > 1000) return `${head} [${this.size} values]`;
    const fmt = (x: NestedArray, indent: string): string =>
      Array.isArray(x) ? `[${x.map((y) => fmt(y, `${indent} `)).join(Array.isArray(x[0]) ? `,\n${indent} ` : ', ')}]` : typeof x === 'number' && this.dtype.startsWith('float') ? formatFloat(x) : String(x);
    return `${head}\n${fmt(this.toArray(), '')}`;
  }
}

function formatFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return `${x}.`;
  return Number(x.toPrecision(6)).toString();
}

/**
 * A tensor with a shape, a dtype and a backend but no values: its entries are held elsewhere by
 * whoever made it (`vmap` in `@ddopt/autograd` hands one example of a batch to the mapped function
 * this way, and keeps the batch itself). Ops on it reach a dispatcher hook that knows it; reading
 * it, or a kernel meeting it, throws `message`. It holds no memory: `dispose` (and `tidy`) leave it as it is.
 */
export function abstractTensor(shape: Shape, dtype: DType, backend: string, message: string): Tensor {
  return new Tensor(new AbstractHandle(message), [...shape], dtype, backend);
}

/** Whether `x` is a ddopt tensor. */
export function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && (x as Tensor).isTensor === true;
}
