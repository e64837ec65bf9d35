import type { Attrs, Primitive, Tensor } from '@ddopt/tensor';

/** A missing derivative: a symbolic zero that rules skip instead of materializing. */
export type MaybeTensor = Tensor | undefined;

/**
 * Vector-Jacobian product of one primitive: given the output cotangent `g`, returns one
 * cotangent per input (undefined = zero or not needed). `needs[i]` says whether input i's
 * cotangent is wanted, so rules can skip work. Rules use only tensor ops, never values in JS,
 * so they are themselves differentiable.
 */
export type VjpRule<P extends Primitive> = (
  g: Tensor,
  inputs: readonly Tensor[],
  out: Tensor,
  attrs: Attrs<P>,
  needs: readonly boolean[],
) => MaybeTensor[];

/** Jacobian-vector product of one primitive: the output tangent from the input tangents (undefined = zero). */
export type JvpRule<P extends Primitive> = (tangents: readonly MaybeTensor[], inputs: readonly Tensor[], out: Tensor, attrs: Attrs<P>) => MaybeTensor;

/** `null` marks a primitive whose output is never differentiable (bool or int32 results). */
export type VjpTable = { [P in Primitive]: VjpRule<P> | null };
export type JvpTable = { [P in Primitive]: JvpRule<P> | null };

/** Where a value's batch axis is inside `vmap` (an axis of the physical tensor), or `null`: not batched. */
export type BatchDim = number | null;

/**
 * Batching rule of one primitive: given the physical inputs (each with its batch axis at
 * `dims[i]`, or unbatched where `dims[i]` is null; at least one is batched) and the logical
 * attributes, computes the whole batch's output and says where its batch axis is. Rules bind
 * ops at the level below vmap's, so outer transformations record them (they are differentiable),
 * and never read values.
 */
export type BatchRule<P extends Primitive> = (values: readonly Tensor[], dims: readonly BatchDim[], attrs: Attrs<P>, size: number) => [Tensor, BatchDim];

/** The batching rule of every primitive (a missing one is a compile error; at run time, a loop). */
export type BatchTable = { [P in Primitive]: BatchRule<P> };
