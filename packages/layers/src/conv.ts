import { type FloatDType, type Key, type Tensor, add, conv1d, conv2d, reshape, splitKey } from '@ddopt/tensor';
import { type Pair, type PaddingSides, checkOptions, convOutputSize, convPadding, fmtShape, option, pair, pairOption } from '@ddopt/tensor/validate';
import { initializerOpt, positionalHint } from './options.js';
import { checkInputShape } from './input-shape.js';
import { type Initializer, pytorchDefault } from './initializers.js';
import { type Module, NO_STATE } from './module.js';

/** Options of `Conv2d`. */
export interface Conv2dLayerOptions {
  /** Output channels. */
  filters: number;
  kernelSize: Pair;
  stride?: Pair;
  /** Zeros on each side: a number, [ph, pw], 'valid' (0) or 'same' (stride 1 only; an odd extra cell goes after). */
  padding?: Pair | 'valid' | 'same';
  dilation?: Pair;
  /** Channel groups: input and output channels must both be divisible by it. */
  groups?: number;
  bias?: boolean;
  /** Kernel initializer (default PyTorch's, U(±1/√fanIn) with fanIn = C/groups·KH·KW). */
  init?: Initializer;
  biasInit?: Initializer;
}

/** Options of `Conv1d` (as `Conv2d`, with single numbers). */
export interface Conv1dLayerOptions {
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

/** Parameters of a convolution: kernel [O, C/groups, ...k] and optional bias [O]. */
export interface ConvParams {
  w: Tensor;
  b?: Tensor;
}

// A convolution's options resolved to [height, width] pairs; Conv1d's have height 1.
interface Geometry {
  where: string;
  filters: number;
  kernel: [number, number];
  stride: [number, number];
  padding: PaddingSides;
  dilation: [number, number];
  groups: number;
  options: Conv1dLayerOptions | Conv2dLayerOptions;
}

const MODE = option.oneOf(['valid', 'same']);
const COMMON = { filters: option.int(1).required(), groups: option.int(1), bias: option.boolean(), init: initializerOpt(), biasInit: initializerOpt() };
const CONV2D = { ...COMMON, kernelSize: pairOption(1).required(), stride: pairOption(1), padding: option.anyOf(pairOption(0), MODE), dilation: pairOption(1) };
const CONV1D = { ...COMMON, kernelSize: option.int(1).required(), stride: option.int(1), padding: option.anyOf(option.int(0), MODE), dilation: option.int(1) };

function geometry(where: string, options: Conv1dLayerOptions | Conv2dLayerOptions, kernel: [number, number], stride: [number, number], dilation: [number, number], padding: Pair | 'valid' | 'same' | undefined): Geometry {
  const filters = options.filters;
  const groups = options.groups ?? 1;
  if (filters % groups !== 0) throw new RangeError(`${where}: filters ${filters} must be divisible by groups ${groups}`);
  return { where, filters, kernel, stride, dilation, groups, options, padding: convPadding(where, padding, kernel, stride, dilation) };
}

// Params for `c` input channels and the output [H', W'] of an input [H, W].
function initConv(g: Geometry, key: Key, c: number, spatial: [number, number], kernelShape: number[], dtype: FloatDType | undefined): { params: ConvParams; out: [number, number] } {
  if (c % g.groups !== 0) throw new RangeError(`${g.where}: ${c} input channels are not divisible by groups ${g.groups}`);
  const { bias = true, init = pytorchDefault.weight, biasInit = pytorchDefault.bias } = g.options;
  const [kw, kb] = splitKey(key, 2);
  const weight = init(kw!, [g.filters, c / g.groups, ...kernelShape], { dtype });
  const taps = g.kernel[0] * g.kernel[1];
  const fanIn = (c / g.groups) * taps;
  const params: ConvParams = bias ? { w: weight, b: biasInit(kb!, [g.filters], { dtype, fanIn, fanOut: g.filters * taps }) } : { w: weight };
  return { params, out: convOutputSize(g.where, spatial, g.kernel, g) };
}

// Throws unless x is [N, C, ...spatial] with the channels the kernel w expects.
function checkInput(g: Geometry, w: Tensor, x: Tensor, layout: string): void {
  const c = w.shape[1]! * g.groups;
  if (x.rank !== w.rank || x.shape[1] !== c) throw new RangeError(`${g.where}: input must be ${layout.replace('C', String(c))}, got ${fmtShape(x.shape)}`);
}

/** 2-D convolution layer on [N, C, H, W] inputs (PyTorch's Conv2d semantics). */
export function Conv2d(given: Conv2dLayerOptions): Module<ConvParams, Record<string, never>> {
  const options = checkOptions('Conv2d', given, CONV2D, { hint: positionalHint('Conv2d', 'filters') });
  const where = `Conv2d(${options.filters})`;
  const stride = pair(where, 'stride', options.stride, 1, 1);
  const dilation = pair(where, 'dilation', options.dilation, 1, 1);
  const g = geometry(where, options, pair(where, 'kernelSize', options.kernelSize, undefined, 1), stride, dilation, options.padding);
  return {
    name: where,
    init: (key, inputShape, o = {}) => {
      checkInputShape(where, inputShape, 3, '[C, H, W]');
      const [c, h, w] = inputShape as [number, number, number];
      const { params, out } = initConv(g, key, c, [h, w], g.kernel, o.dtype);
      return { params, state: NO_STATE, outputShape: [g.filters, ...out] };
    },
    apply: ({ w, b }, x) => {
      checkInput(g, w, x, '[N, C, H, W]');
      const y = conv2d(x, w, { stride: g.stride, padding: g.padding, dilation: g.dilation, groups: g.groups });
      return b ? add(y, reshape(b, [1, g.filters, 1, 1])) : y;
    },
  };
}

/** 1-D convolution layer on [N, C, L] inputs (PyTorch's Conv1d semantics). */
export function Conv1d(given: Conv1dLayerOptions): Module<ConvParams, Record<string, never>> {
  const options = checkOptions('Conv1d', given, CONV1D, { hint: positionalHint('Conv1d', 'filters') });
  const where = `Conv1d(${options.filters})`;
  const p = options.padding ?? 0;
  const padding: Pair | 'same' | 'valid' = p === 'same' || p === 'valid' ? p : [0, p];
  const g = geometry(where, options, [1, options.kernelSize], [1, options.stride ?? 1], [1, options.dilation ?? 1], padding);
  return {
    name: where,
    init: (key, inputShape, o = {}) => {
      checkInputShape(where, inputShape, 2, '[C, L]');
      const [c, l] = inputShape as [number, number];
      const { params, out } = initConv(g, key, c, [1, l], [g.kernel[1]], o.dtype);
      return { params, state: NO_STATE, outputShape: [g.filters, out[1]] };
    },
    apply: ({ w, b }, x) => {
      checkInput(g, w, x, '[N, C, L]');
      const y = conv1d(x, w, { stride: g.stride[1], padding: g.padding[1], dilation: g.dilation[1], groups: g.groups });
      return b ? add(y, reshape(b, [1, g.filters, 1])) : y;
    },
  };
}
