import { type Tensor, bind, zerosLike } from '@ddopt/tensor';
import type { JvpRule, VjpRule } from './types.js';

/** slice: the cotangent is padded with zeros back to the input's shape. */
export const sliceVjp: VjpRule<'slice'> = (g, [x], _y, { begin, size }) => [
  bind('pad', [g], { paddings: x!.shape.map((d, i) => [begin[i]!, d - begin[i]! - size[i]!] as [number, number]), value: 0 }),
];
export const sliceJvp: JvpRule<'slice'> = ([t], _x, _y, attrs) => t && bind('slice', [t], attrs);

/** pad: the cotangent of the input is the interior block (the padding value is a constant). */
export const padVjp: VjpRule<'pad'> = (g, [x], _y, { paddings }) => [bind('slice', [g], { begin: paddings.map(([lo]) => lo), size: [...x!.shape] })];
export const padJvp: JvpRule<'pad'> = ([t], _x, _y, { paddings }) => t && bind('pad', [t], { paddings, value: 0 });

/** concat: each input gets its own block of the cotangent. */
export const concatVjp: VjpRule<'concat'> = (g, inputs, _y, { axis }, needs) => {
  let at = 0;
  return inputs.map((x, i) => {
    const begin = x.shape.map((_, k) => (k === axis ? at : 0));
    at += x.shape[axis]!;
    return needs[i] ? bind('slice', [g], { begin, size: [...x.shape] }) : undefined;
  });
};
export const concatJvp: JvpRule<'concat'> = (ts, inputs, _y, attrs) =>
  ts.every((t) => t === undefined) ? undefined : bind('concat', inputs.map((x, i) => ts[i] ?? zerosLike(x)), attrs);

/** gather(x, indices): the transpose is a scatter-add of the cotangent into x's shape. */
export const gatherVjp: VjpRule<'gather'> = (g, [x, indices], _y, { axis }) => [bind('scatterAdd', [indices!, g], { axis, size: x!.shape[axis]! }), undefined];
export const gatherJvp: JvpRule<'gather'> = ([t], [, indices], _y, attrs) => t && bind('gather', [t, indices as Tensor], attrs);

/** scatterAdd(indices, updates): the transpose is a gather of the cotangent. */
export const scatterAddVjp: VjpRule<'scatterAdd'> = (g, [indices], _y, { axis }) => [undefined, bind('gather', [g, indices!], { axis })];
export const scatterAddJvp: JvpRule<'scatterAdd'> = ([, t], [indices], _y, attrs) => t && bind('scatterAdd', [indices!, t], attrs);
