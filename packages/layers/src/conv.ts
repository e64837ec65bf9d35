import { type Key, type Tensor, add, conv1d as conv1dOp, conv2d as conv2dOp, reshape, split } from '@ddopt/tensor';
import { type Initializer, pytorchDefault } from './initializers.js';
import { type Module, NO_STATE, checkInputShape, checkInt, fmt } from './module.js';

type Pair = number | readonly [number, number];

/** Options of `conv2d`. */
export interface Conv2dOptions {
  /** Output channels. */
  filters: number;
  kernelSize: Pair;
  stride?: Pair;
  /** Zeros on each side: a number, [ph, pw], 'valid' (0) or 'same' (stride 1 only). */
  padding?: Pair | 'valid' | 'same';
  dilation?: Pair;
  /** Channel groups: input and output channels must both be divisible by it. */
  groups?: number;
  bias?: boolean;
  /** Kernel initializer (default PyTorch's, U(±1/√fanIn) with fanIn = C/groups·KH·KW). */
  init?: Initializer;
  biasInit?: Initializer;
}

/** Parameters of a convolution: kernel [O, C/groups, ...k] and optional bias [O]. */
export interface ConvParams {
  w: Tensor;
  b?: Tensor;
}

function asPair(where: string, name: string, v: Pair | undefined, dflt: number, min: number): [number, number] {
  const p = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2) throw new TypeError(`${where}: ${name} must be a number or a pair, got ${JSON.stringify(v)}`);
  return [checkInt(where, name, p[0], min), checkInt(where, name, p[1], min)];
}

// Output length of a convolution along one axis, or an error naming the layer and sizes.
function outLength(where: string, size: number, k: number, s: number, p: number, d: number): number {
  const span = d * (k - 1) + 1;
  if (size + 2 * p < span) throw new RangeError(`${where}: kernel span ${span} exceeds the padded input length ${size + 2 * p}`);
  return Math.floor((size + 2 * p - span) / s) + 1;
}

// 'same' (stride 1) keeps the spatial size; the tensor op puts an odd extra cell after.
function resolvePadding(where: string, padding: Conv2dOptions['padding'], stride: [number, number]): [number, number] | 'same' {
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new RangeError(`${where}: padding 'same' needs stride 1, got [${stride.join(', ')}]`);
    return 'same';
  }
  if (padding === 'valid') return [0, 0];
  return asPair(where, 'padding', padding, 0, 0);
}

/** 2-D convolution layer on [N, C, H, W] inputs (PyTorch's Conv2d semantics). */
export function conv2d(options: Conv2dOptions): Module<ConvParams, Record<string, never>> {
  const where = `conv2d(${options?.filters})`;
  const filters = checkInt(where, 'filters', options.filters);
  const k = asPair(where, 'kernelSize', options.kernelSize, 1, 1);
  const stride = asPair(where, 'stride', options.stride, 1, 1);
  const dilation = asPair(where, 'dilation', options.dilation, 1, 1);
  const groups = checkInt(where, 'groups', options.groups ?? 1);
  const padding = resolvePadding(where, options.padding, stride);
  const { bias = true, init = pytorchDefault.weight, biasInit = pytorchDefault.bias } = options;
  if (filters % groups !== 0) throw new RangeError(`${where}: filters ${filters} must be divisible by groups ${groups}`);
  return {
    name: where,
    init: (key, inputShape, o = {}) => {
      checkInputShape(where, inputShape, 3, '[C, H, W]');
      const [c, h, w] = inputShape as [number, number, number];
      if (c % groups !== 0) throw new RangeError(`${where}: ${c} input channels are not divisible by groups ${groups}`);
      const [kw, kb] = split(key, 2) as [Key, Key];
      const shape = [filters, c / groups, k[0], k[1]];
      const weight = init(kw, shape, { dtype: o.dtype });
      const fanIn = (c / groups) * k[0] * k[1];
      const params: ConvParams = bias ? { w: weight, b: biasInit(kb, [filters], { dtype: o.dtype, fanIn, fanOut: filters * k[0] * k[1] }) } : { w: weight };
      const oh = padding === 'same' ? h : outLength(where, h, k[0], stride[0], padding[0], dilation[0]);
      const ow = padding === 'same' ? w : outLength(where, w, k[1], stride[1], padding[1], dilation[1]);
      return { params, state: NO_STATE, outputShape: [filters, oh, ow] };
    },
    apply: ({ w, b }, x) => {
      if (x.rank !== 4 || x.shape[1] !== w.shape[1]! * groups) throw new RangeError(`${where}: input must be [N, ${w.shape[1]! * groups}, H, W], got ${fmt(x.shape)}`);
      const y = conv2dOp(x, w, { stride, padding, dilation, groups });
      return b ? add(y, reshape(b, [1, filters, 1, 1])) : y;
    },
  };
}

/** Options of `conv1d` (as `conv2d`, with single numbers). */
export interface Conv1dOptions {
  filters: number;
  kernelSize: number;
  stride?: number;
  padding?: number | 'valid' | 'same';
  dilation?: number;
  groups?: number;
  bias?: boolean;
  init?: Initializer;
  biasInit?: Initializer;
}

/** 1-D convolution layer on [N, C, L] inputs (PyTorch's Conv1d semantics). */
export function conv1d(options: Conv1dOptions): Module<ConvParams, Record<string, never>> {
  const where = `conv1d(${options?.filters})`;
  const filters = checkInt(where, 'filters', options.filters);
  const k = checkInt(where, 'kernelSize', options.kernelSize);
  const stride = checkInt(where, 'stride', options.stride ?? 1);
  const dilation = checkInt(where, 'dilation', options.dilation ?? 1);
  const groups = checkInt(where, 'groups', options.groups ?? 1);
  const p = options.padding ?? 0;
  if (p === 'same' && stride !== 1) throw new RangeError(`${where}: padding 'same' needs stride 1, got ${stride}`);
  const padding = p === 'same' ? 'same' : p === 'valid' ? 0 : checkInt(where, 'padding', p, 0);
  const { bias = true, init = pytorchDefault.weight, biasInit = pytorchDefault.bias } = options;
  if (filters % groups !== 0) throw new RangeError(`${where}: filters ${filters} must be divisible by groups ${groups}`);
  return {
    name: where,
    init: (key, inputShape, o = {}) => {
      checkInputShape(where, inputShape, 2, '[C, L]');
      const [c, l] = inputShape as [number, number];
      if (c % groups !== 0) throw new RangeError(`${where}: ${c} input channels are not divisible by groups ${groups}`);
      const [kw, kb] = split(key, 2) as [Key, Key];
      const weight = init(kw, [filters, c / groups, k], { dtype: o.dtype });
      const fanIn = (c / groups) * k;
      const params: ConvParams = bias ? { w: weight, b: biasInit(kb, [filters], { dtype: o.dtype, fanIn, fanOut: filters * k }) } : { w: weight };
      const ol = padding === 'same' ? l : outLength(where, l, k, stride, padding, dilation);
      return { params, state: NO_STATE, outputShape: [filters, ol] };
    },
    apply: ({ w, b }, x) => {
      if (x.rank !== 3 || x.shape[1] !== w.shape[1]! * groups) throw new RangeError(`${where}: input must be [N, ${w.shape[1]! * groups}, L], got ${fmt(x.shape)}`);
      const y = conv1dOp(x, w, { stride, padding, dilation, groups });
      return b ? add(y, reshape(b, [1, filters, 1])) : y;
    },
  };
}
