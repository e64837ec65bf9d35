import { runtime } from './runtime.js';
import type { Tensor } from './tensor.js';
import { fmtValue } from './validate/value.js';

// A stack of scopes, each collecting the tensors created inside it, so `tidy` can release
// them. Only tfjs-backed tensors hold memory outside the JS heap; cpu tensors are left to GC.
// One stack per process (in the shared runtime), whichever loaded copy creates the tensors.
const scopes: Set<Tensor>[] = runtime.scopes;

/** @internal Records a new tensor in the innermost scope. */
export function track(t: Tensor): void {
  scopes[scopes.length - 1]?.add(t);
}

/** Keeps `t` alive past the enclosing `tidy`. */
export function keep<T extends Tensor>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}

/**
 * Runs `fn`, then disposes every tensor created inside it except those reachable from its
 * result (any pytree of tensors); if `fn` throws, all of them. Nestable, like tf.tidy.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`tidy: fn must be a function, got ${fmtValue(fn)}`);
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    // A callback that throws returns nothing, so nothing it made is kept (as tf.tidy does).
    for (const t of scope) t.dispose();
    throw error;
  } finally {
    scopes.pop();
  }
  const kept = new Set<Tensor>();
  collect(result, kept);
  for (const t of scope) {
    if (kept.has(t)) scopes[scopes.length - 1]?.add(t);
    else t.dispose();
  }
  return result;
}

/**
 * Runs `fn`; if it throws, disposes every tensor created inside and rethrows (as `tidy` does),
 * and if it returns, disposes nothing: what it made stays alive for the caller (a tape, a
 * pullback's residuals). For functions whose results outlive them.
 */
export function disposeOnThrow<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`disposeOnThrow: fn must be a function, got ${fmtValue(fn)}`);
  const scope = new Set<Tensor>();
  scopes.push(scope);
  try {
    const result = fn();
    scopes.pop();
    // The enclosing scope (a tidy around this call) still owns what was made here.
    const parent = scopes[scopes.length - 1];
    if (parent) for (const t of scope) parent.add(t);
    return result;
  } catch (error) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw error;
  }
}

function collect(x: unknown, out: Set<Tensor>): void {
  if (x === null || typeof x !== 'object') return;
  if ((x as Tensor).isTensor === true) {
    out.add(x as Tensor);
    return;
  }
  for (const v of Array.isArray(x) ? x : Object.values(x)) collect(v, out);
}

/** Disposes every tensor in a pytree. */
export function dispose(x: unknown): void {
  const all = new Set<Tensor>();
  collect(x, all);
  for (const t of all) t.dispose();
}
