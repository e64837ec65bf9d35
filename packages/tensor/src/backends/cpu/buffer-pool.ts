import { allocate, type DType, type TypedArray } from '../../dtype.js';

// Recycles the cpu kernels' output arrays. A fresh large typed array costs a page fault per 4 KiB
// on first touch (V8 frees array buffers only at GC, so the allocator keeps mapping new memory):
// on the 2-core machine of the benchmarks, writing 800 KB into a fresh array took several times
// as long as into a used one, and Adam's step, relu's masks and the backward products of every
// step are made of such arrays. A disposed tensor's array is reused only when nobody else can
// hold it:
// - only arrays this pool made for a kernel's output are ever recycled (never an uploaded one,
//   which the caller may still hold, nor a view into someone's scratch memory);
// - a read (dataSync / data) hands the array itself to the caller, so it is never recycled;
// - tensors sharing one buffer (reshape returns its input's array) are counted, and the buffer
//   is free when the last of them is disposed.
// A recycled array is zeroed, so every kernel sees what `new Float64Array(n)` would give it.

/** Arrays below this size come from the allocator as before: small ones are cheap there. */
const MIN_BYTES = 64 * 1024;
/** At most this much memory is kept for reuse; beyond it, disposed arrays are left to the GC. */
const MAX_POOLED_BYTES = poolEnabled() ? 256 * 1024 * 1024 : 0;

/** DDOPT_CPU_POOL from the environment: '0' turns recycling off (to compare, or to rule it out), '1' or unset leaves it on. */
function poolEnabled(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.DDOPT_CPU_POOL;
  if (env === undefined || env === '' || env === '1') return true;
  if (env === '0') return false;
  throw new RangeError(`DDOPT_CPU_POOL: expected 0 or 1, got '${env}'`);
}

interface Entry {
  /** The array `output` made: the whole buffer. */
  readonly root: TypedArray;
  /** Live tensors on the buffer. */
  live: number;
}

const made = new WeakSet<TypedArray>();
const entries = new WeakMap<ArrayBufferLike, Entry>();
const free = new Map<string, TypedArray[]>();
let pooledBytes = 0;

const bucket = (dtype: DType, size: number) => `${dtype}:${size}`;
const dtypeOf = (a: TypedArray): DType => (a instanceof Float64Array ? 'float64' : a instanceof Float32Array ? 'float32' : a instanceof Int32Array ? 'int32' : 'bool');

/** A zeroed array for a kernel's output: a recycled one of this dtype and length when one is free. */
export function output(dtype: DType, size: number): TypedArray {
  const recycled = free.get(bucket(dtype, size))?.pop();
  if (recycled !== undefined) {
    pooledBytes -= recycled.byteLength;
    recycled.fill(0);
    made.add(recycled);
    return recycled;
  }
  const a = allocate(dtype, size);
  if (a.byteLength >= MIN_BYTES) made.add(a);
  return a;
}

/** A kernel returned `a` as a tensor's values: one more live tensor on its buffer, if the pool made it. */
export function adopt(a: TypedArray): void {
  const e = entries.get(a.buffer);
  if (e !== undefined) e.live++;
  else if (made.has(a)) entries.set(a.buffer, { root: a, live: 1 });
}

/** `a` was handed to a caller: its buffer is theirs now and is never recycled. */
export function handedOut(a: TypedArray): void {
  const e = entries.get(a.buffer);
  if (e === undefined) return;
  entries.delete(a.buffer);
  made.delete(e.root);
}

/** A tensor on `a` was disposed: the buffer is free for reuse once no tensor is left on it. */
export function release(a: TypedArray): void {
  const e = entries.get(a.buffer);
  if (e === undefined || --e.live > 0) return;
  entries.delete(a.buffer);
  made.delete(e.root);
  if (pooledBytes + e.root.byteLength > MAX_POOLED_BYTES) return;
  const key = bucket(dtypeOf(e.root), e.root.length);
  const list = free.get(key);
  if (list) list.push(e.root);
  else free.set(key, [e.root]);
  pooledBytes += e.root.byteLength;
}
