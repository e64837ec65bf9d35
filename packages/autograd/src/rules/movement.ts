import { bind, reshape, transpose } from '@ddopt/tensor';
import type { JvpRule, VjpRule } from './types.js';
import { inversePerm, sumAxes } from './util.js';

export const reshapeVjp: VjpRule<'reshape'> = (g, [x]) => [reshape(g, x!.shape)];
export const reshapeJvp: JvpRule<'reshape'> = ([t], _x, _y, { shape }) => t && reshape(t, shape);

export const transposeVjp: VjpRule<'transpose'> = (g, _x, _y, { perm }) => [transpose(g, inversePerm(perm))];
export const transposeJvp: JvpRule<'transpose'> = ([t], _x, _y, { perm }) => t && transpose(t, perm);

/** broadcastTo: the cotangent is summed over the new leading axes and the stretched size-1 axes. */
export const broadcastToVjp: VjpRule<'broadcastTo'> = (g, [x], _y, { shape }) => {
  const lead = shape.length - x!.rank;
  const axes: number[] = [];
  for (let i = 0; i < shape.length; i++) if (i < lead || (x!.shape[i - lead] === 1 && shape[i] !== 1)) axes.push(i);
  return [reshape(sumAxes(g, axes), x!.shape)];
};
export const broadcastToJvp: JvpRule<'broadcastTo'> = ([t], _x, _y, attrs) => t && bind('broadcastTo', [t], attrs);

export const reverseVjp: VjpRule<'reverse'> = (g, _x, _y, attrs) => [bind('reverse', [g], attrs)];
export const reverseJvp: JvpRule<'reverse'> = ([t], _x, _y, attrs) => t && bind('reverse', [t], attrs);
