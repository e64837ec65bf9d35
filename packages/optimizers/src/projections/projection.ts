import { isTensor } from '@ddopt/tensor';
import type { PyTree, Tensor } from '@ddopt/tensor';

/** A Euclidean projection of one tensor onto a closed convex set (same shape and dtype out). */
export type Projection = (x: Tensor) => Tensor;

/** One projection for every leaf, or a pytree like the params with a projection (or null: none) per leaf. */
export type ProjectionSpec = Projection | unknown;

/** Projects every leaf of `params` as `spec` says. */
export function projectTree<T>(spec: ProjectionSpec, params: T): T {
  return walk(spec, params, 'projection') as T;
}

function walk(spec: unknown, p: unknown, path: string): unknown {
  if (spec === null || spec === undefined) return p;
  if (typeof spec === 'function') {
    if (isTensor(p)) return (spec as Projection)(p);
    if (Array.isArray(p)) return p.map((x, i) => walk(spec, x, `${path}[${i}]`));
    if (p !== null && typeof p === 'object') return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, walk(spec, v, `${path}.${k}`)]));
    return p;
  }
  if (typeof spec !== 'object') throw new TypeError(`projected: ${path} must be a projection function, null or a subtree, got ${typeof spec}`);
  if (isTensor(p)) throw new TypeError(`projected: ${path} is a tensor in the params but a subtree in the projection spec`);
  if (Array.isArray(p)) return p.map((x, i) => walk((spec as unknown[])[i], x, `${path}[${i}]`));
  if (p !== null && typeof p === 'object') {
    return Object.fromEntries(Object.entries(p as Record<string, PyTree>).map(([k, v]) => [k, walk((spec as Record<string, unknown>)[k], v, `${path}.${k}`)]));
  }
  return p;
}
