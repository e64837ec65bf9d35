import { checkArg, checkOptions, option } from '@ddopt/tensor/validate';
import { BatchNorm } from '../batch-norm.js';
import { Conv2d } from '../conv.js';
import { Dense } from '../dense.js';
import type { Module, Tree } from '../module.js';
import { Flatten, GlobalMaxPool, MaxPool2d } from '../pool.js';
import { type LayerLike, sequentialAs } from '../sequential.js';

/** Options of `cnnK`. */
export interface CnnKOptions {
  /** Output classes (default 10). */
  numClasses?: number;
  /** Conv → BatchNorm → ReLU → MaxPool as in the report (default true); false drops BatchNorm. */
  batchNorm?: boolean;
  /** Padding of the 3×3 convolutions (default 1, which keeps 32×32 inputs divisible by the pools). */
  padding?: number;
}

/**
 * The 5-layer CNN of the deep double-descent experiments: four blocks Conv(3×3) → BatchNorm →
 * ReLU → MaxPool with widths k, 2k, 4k, 8k and pools 1, 2, 2, 8, then a dense layer. The last
 * pool is a global max pool, which is the 8×8 pool on 32×32 inputs and also fits 28×28 ones.
 * Convolutions have no bias when followed by BatchNorm (it would be cancelled).
 */
export function cnnK(k: number, options?: CnnKOptions): Module<Tree[], Tree[]> {
  checkArg('cnnK', 'k', option.int(1), k);
  const { numClasses, batchNorm: useBn, padding } = checkOptions('cnnK', options, { numClasses: option.int(1).default(10), batchNorm: option.boolean().default(true), padding: option.int(0).default(1) });
  const layers: LayerLike[] = [];
  const widths = [k, 2 * k, 4 * k, 8 * k];
  widths.forEach((filters, i) => {
    layers.push(Conv2d({ filters, kernelSize: 3, padding, bias: !useBn }));
    if (useBn) layers.push(BatchNorm());
    layers.push('relu');
    if (i === 1 || i === 2) layers.push(MaxPool2d({ kernelSize: 2 }));
    if (i === 3) layers.push(GlobalMaxPool());
  });
  layers.push(Flatten(), Dense({ units: numClasses }));
  return sequentialAs('cnnK', layers, `cnnK(${k})`);
}
