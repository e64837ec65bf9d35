import { type Tensor, avgPool2d as avgPoolOp, max, maxPool2d as maxPoolOp, mean, reshape } from '@ddopt/tensor';
import { type Module, NO_STATE, checkInputShape, checkInt, fmt } from './module.js';

type Pair = number | readonly [number, number];

/** Options of the 2-D pooling layers (PyTorch's MaxPool2d / AvgPool2d without ceil mode). */
export interface Pool2dOptions {
  kernelSize: Pair;
  /** Defaults to kernelSize. */
  stride?: Pair;
  /** At most half the kernel on each side. */
  padding?: Pair;
}

function pair(where: string, name: string, v: Pair | undefined, dflt: [number, number], min: number): [number, number] {
  const p = v === undefined ? dflt : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2) throw new TypeError(`${where}: ${name} must be a number or a pair, got ${JSON.stringify(v)}`);
  return [checkInt(where, name, p[0], min), checkInt(where, name, p[1], min)];
}

function pool2d(kind: 'maxPool2d' | 'avgPool2d', options: Pool2dOptions): Module<Record<string, never>, Record<string, never>> {
  const where = kind;
  const k = pair(where, 'kernelSize', options?.kernelSize, [0, 0], 1);
  const s = pair(where, 'stride', options.stride, k, 1);
  const p = pair(where, 'padding', options.padding, [0, 0], 0);
  const op = kind === 'maxPool2d' ? maxPoolOp : avgPoolOp;
  return {
    name: `${kind}(${k.join('×')})`,
    init: (_key, inputShape) => {
      checkInputShape(where, inputShape, 3, '[C, H, W]');
      const [c, h, w] = inputShape as [number, number, number];
      const out = [h, w].map((size, i) => {
        if (size + 2 * p[i]! < k[i]!) throw new RangeError(`${where}: kernel ${k.join('×')} is larger than the padded input ${fmt(inputShape)}`);
        return Math.floor((size + 2 * p[i]! - k[i]!) / s[i]!) + 1;
      });
      return { params: {}, state: NO_STATE, outputShape: [c, out[0]!, out[1]!] };
    },
    apply: (_params, x) => op(x, { kernelSize: k, stride: s, padding: p }),
  };
}

/** Max pooling over [N, C, H, W]. */
export function maxPool2d(options: Pool2dOptions): Module<Record<string, never>, Record<string, never>> {
  return pool2d('maxPool2d', options);
}

/** Average pooling over [N, C, H, W] (padding cells count as zeros, PyTorch's default). */
export function avgPool2d(options: Pool2dOptions): Module<Record<string, never>, Record<string, never>> {
  return pool2d('avgPool2d', options);
}

function global(kind: 'globalAvgPool' | 'globalMaxPool', reduce: (x: Tensor, o: { axis: number[] }) => Tensor): Module<Record<string, never>, Record<string, never>> {
  return {
    name: kind,
    init: (_key, inputShape) => {
      if (inputShape.length < 2) throw new RangeError(`${kind}: inputShape must be [C, ...spatial], got ${fmt(inputShape)}`);
      return { params: {}, state: NO_STATE, outputShape: [inputShape[0]!] };
    },
    apply: (_params, x) => {
      if (x.rank < 3) throw new RangeError(`${kind}: input must be [N, C, ...spatial], got ${fmt(x.shape)}`);
      return reduce(x, { axis: Array.from({ length: x.rank - 2 }, (_, i) => i + 2) });
    },
  };
}

/** Mean over all spatial axes: [N, C, ...spatial] → [N, C]. */
export function globalAvgPool(): Module<Record<string, never>, Record<string, never>> {
  return global('globalAvgPool', mean);
}

/** Maximum over all spatial axes: [N, C, ...spatial] → [N, C]. */
export function globalMaxPool(): Module<Record<string, never>, Record<string, never>> {
  return global('globalMaxPool', max);
}

/** Flattens each sample: [N, ...shape] → [N, prod(shape)]. */
export function flatten(): Module<Record<string, never>, Record<string, never>> {
  return {
    name: 'flatten',
    init: (_key, inputShape) => ({ params: {}, state: NO_STATE, outputShape: [inputShape.reduce((p, d) => p * d, 1)] }),
    apply: (_params, x) => {
      if (x.rank < 1) throw new RangeError(`flatten: input must have a batch axis, got a scalar`);
      return reshape(x, [x.shape[0]!, x.shape.slice(1).reduce((p, d) => p * d, 1)]);
    },
  };
}
