import { requireParams } from '../base.js';
import { chain } from '../chain.js';
import { perLeaf } from '../leaves.js';
import type { GradientTransformation, State } from '../types.js';
import { add, sub } from '@ddopt/tensor';
import { type ProjectionSpec, projectTree } from './projection.js';

/** Replaces the updates u by Π(p + u) − p, so applying them lands on the projection (projected gradient descent). */
export function projectOnto(projection: ProjectionSpec): GradientTransformation<Record<string, never>> {
  return {
    init: () => ({}),
    update(grads, state, params) {
      const p = requireParams('projectOnto', params);
      const moved = perLeaf('projectOnto', { p, u: grads }, ({ p, u }) => ({ x: add(p, u) })).x;
      const projected = projectTree(projection, moved);
      return { updates: perLeaf('projectOnto', { x: projected, p }, ({ x, p }) => ({ u: sub(x, p) })).u, state };
    },
  };
}

/** `opt` followed by a projection onto the constraint set: chain(opt, projectOnto(projection)). */
export function projected<S extends State>(opt: GradientTransformation<S>, projection: ProjectionSpec): GradientTransformation<State[]> {
  return chain(opt, projectOnto(projection));
}
