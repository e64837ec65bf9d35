/**
 * Fan-in and fan-out of a weight of `shape`, in PyTorch's layout: a dense weight is
 * [out, in], a conv kernel [out, in / groups, ...kernel] whose receptive field multiplies both
 * fans, and a vector (bias) has fan-in = fan-out = its length.
 */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i]!;
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}
