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
