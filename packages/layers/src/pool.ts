import { type Tensor, avgPool2d, max, maxPool2d, mean, reshape } from '@ddopt/tensor';
import { type Pair, type PaddingSides, checkOptions, convOutputSize, fmtShape, pair, pairOption } from '@ddopt/tensor/validate';
import { positionalHint } from './options.js';
import { type Module, NO_STATE } from './module.js';
import { checkInputShape } from './input-shape.js';

/** Options of the 2-D pooling layers (PyTorch's MaxPool2d / AvgPool2d without ceil mode). */
export interface Pool2dLayerOptions {
  kernelSize: Pair;
  /** Defaults to kernelSize. */
  stride?: Pair;
  /** At most half the kernel on each side. */
  padding?: Pair;
}

function pool2d(kind: 'MaxPool2d' | 'AvgPool2d', given: Pool2dLayerOptions): Module<Record<string, never>, Record<string, never>> {
  const options = checkOptions(kind, given, { kernelSize: pairOption(1).required(), stride: pairOption(1), padding: pairOption(0) }, { hint: positionalHint(kind, 'kernelSize') });
  const k = pair(kind, 'kernelSize', options.kernelSize, undefined, 1);
  const s = pair(kind, 'stride', options.stride ?? options.kernelSize, 1, 1);
  const p = pair(kind, 'padding', options.padding, 0, 0);
  const op = kind === 'MaxPool2d' ? maxPool2d : avgPool2d;
  return {
    name: `${kind}(${k.join('×')})`,
    init: (_key, inputShape) => {
      checkInputShape(kind, inputShape, 3, '[C, H, W]');
      const [c, h, w] = inputShape as [number, number, number];
      const padding: PaddingSides = [
        [p[0], p[0]],
        [p[1], p[1]],
      ];
      return { params: {}, state: NO_STATE, outputShape: [c, ...convOutputSize(kind, [h, w], k, { stride: s, padding, dilation: [1, 1] })] };
    },
    apply: (_params, x) => op(x, { kernelSize: k, stride: s, padding: p }),
  };
}

/** Max pooling over [N, C, H, W]. */
export function MaxPool2d(options: Pool2dLayerOptions): Module<Record<string, never>, Record<string, never>> {
  return pool2d('MaxPool2d', options);
}

/** Average pooling over [N, C, H, W] (padding cells count as zeros, PyTorch's default). */
export function AvgPool2d(options: Pool2dLayerOptions): Module<Record<string, never>, Record<string, never>> {
  return pool2d('AvgPool2d', options);
}

function global(kind: 'GlobalAvgPool' | 'GlobalMaxPool', reduce: (x: Tensor, o: { axis: number[] }) => Tensor): Module<Record<string, never>, Record<string, never>> {
  return {
    name: kind,
    init: (_key, inputShape) => {
      if (inputShape.length < 2) throw new RangeError(`${kind}: inputShape must be [C, ...spatial], got ${fmtShape(inputShape)}`);
      return { params: {}, state: NO_STATE, outputShape: [inputShape[0]!] };
    },
    apply: (_params, x) => {
      if (x.rank < 3) throw new RangeError(`${kind}: input must be [N, C, ...spatial], got ${fmtShape(x.shape)}`);
      return reduce(x, { axis: Array.from({ length: x.rank - 2 }, (_, i) => i + 2) });
    },
  };
}

/** Mean over all spatial axes: [N, C, ...spatial] → [N, C]. */
export function GlobalAvgPool(): Module<Record<string, never>, Record<string, never>> {
  return global('GlobalAvgPool', mean);
}

/** Maximum over all spatial axes: [N, C, ...spatial] → [N, C]. */
export function GlobalMaxPool(): Module<Record<string, never>, Record<string, never>> {
  return global('GlobalMaxPool', max);
}

/** Flattens each sample: [N, ...shape] → [N, prod(shape)]. */
export function Flatten(): Module<Record<string, never>, Record<string, never>> {
  return {
    name: 'Flatten',
    init: (_key, inputShape) => ({ params: {}, state: NO_STATE, outputShape: [inputShape.reduce((p, d) => p * d, 1)] }),
    apply: (_params, x) => {
      if (x.rank < 1) throw new RangeError('Flatten: input must have a batch axis, got a scalar');
      return reshape(x, [x.shape[0]!, x.shape.slice(1).reduce((p, d) => p * d, 1)]);
    },
  };
}
