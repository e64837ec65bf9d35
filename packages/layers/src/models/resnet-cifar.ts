import { pad } from '@ddopt/tensor';
import { checkOptions, option } from '@ddopt/tensor/validate';
import { initializerOpt } from '../options.js';
import { BatchNorm } from '../batch-norm.js';
import { Conv2d } from '../conv.js';
import { Dense } from '../dense.js';
import { type Initializer, xavierUniform, zeros } from '../initializers.js';
import { type Module, NO_STATE, type Tree } from '../module.js';
import { AvgPool2d, GlobalAvgPool } from '../pool.js';
import { Residual } from '../residual.js';
import { type LayerLike, Sequential } from '../sequential.js';

/** Options of `resnetCifar`. */
export interface ResnetCifarOptions {
  /** Residual blocks in each of the three stages (Hardt & Ma: 9; the report also tries 2, 3, 8). */
  blocksPerStage: number;
  /** Insert BatchNorm between U and the ReLU in each block (default false, as Hardt & Ma). */
  batchNorm?: boolean;
  /** Start every block at the identity by zeroing its last convolution (default true). */
  identityInit?: boolean;
  /**
   * Channels of the three stages (default [64, 128, 256], which gives the report's parameter
   * counts: 2.7 M with 2 blocks per stage, 13.6 M with 9).
   */
  widths?: [number, number, number];
  numClasses?: number;
  /** Initializer of the other convolutions (default Xavier uniform, as in the report). */
  init?: Initializer;
}

// Parameter-free shortcut between stages: subsample by 2 and append zero channels.
function downsampleShortcut(extraChannels: number): Module {
  const sub = AvgPool2d({ kernelSize: 1, stride: 2 });
  return {
    name: `downsample(+${extraChannels})`,
    init: (key, inputShape, o) => {
      const r = sub.init(key, inputShape, o);
      const [c, h, w] = r.outputShape as [number, number, number];
      return { params: {}, state: NO_STATE, outputShape: [c + extraChannels, h, w] };
    },
    apply: (params, x) =>
      pad(sub.apply(params, x), [
        [0, 0],
        [0, extraChannels],
        [0, 0],
        [0, 0],
      ]),
  };
}

const THREE = option.arrayOf(option.int(1), 3);

/**
 * The all-residual network of Hardt & Ma for CIFAR-10: a 3×3 stem conv, three stages of
 * `blocksPerStage` residual blocks x + V·σ(U·x) (3×3 convs; the first block of stages 2 and 3
 * has stride 2 and a parameter-free shortcut), global average pooling and a dense classifier.
 */
export function resnetCifar(options: ResnetCifarOptions): Module<Tree[], Tree[]> {
  const o = checkOptions('resnetCifar', options, {
    blocksPerStage: option.int(1).required(),
    batchNorm: option.boolean().default(false),
    identityInit: option.boolean().default(true),
    widths: option.from<[number, number, number]>(THREE.expected, (w, n, v) => THREE.parse(w, n, v) as [number, number, number]).default([64, 128, 256]),
    numClasses: option.int(1).default(10),
    init: initializerOpt().default(xavierUniform()),
  });
  const { blocksPerStage: blocks, batchNorm: useBn, identityInit, widths, numClasses, init } = o;
  const conv = (filters: number, stride: number, last: boolean) =>
    Conv2d({ filters, kernelSize: 3, stride, padding: 1, bias: last || !useBn, init: last && identityInit ? zeros() : init, biasInit: zeros() });
  const layers: LayerLike[] = [Conv2d({ filters: widths[0], kernelSize: 3, padding: 1, init, biasInit: zeros() })];
  widths.forEach((width, stage) => {
    for (let b = 0; b < blocks; b++) {
      const down = stage > 0 && b === 0;
      // y = x + V·σ(U·x) (the report's W₂σ(W₁x) + x), BatchNorm after U when asked.
      const body: LayerLike[] = [conv(width, down ? 2 : 1, false)];
      if (useBn) body.push(BatchNorm());
      body.push('relu', conv(width, 1, true));
      layers.push(Residual(Sequential(body), down ? { shortcut: downsampleShortcut(width - widths[stage - 1]!) } : {}));
    }
  });
  layers.push('relu', GlobalAvgPool(), Dense({ units: numClasses }));
  return Sequential(layers);
}
