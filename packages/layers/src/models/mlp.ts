import type { ActivationFn, ActivationName } from '../activations.js';
import { type Initializer, pytorchDefault } from '../initializers.js';
import { Dense } from '../dense.js';
import type { Module, Tree } from '../module.js';
import { type LayerLike, sequentialAs } from '../sequential.js';
import { checkArg, checkOptions, fmtValue, option } from '@ddopt/tensor/validate';
import { activationOpt, initializerOpt } from '../options.js';

/** Options of `mlp`. */
export interface MlpOptions {
  /** Whether dense layers have biases (default true). */
  bias?: boolean;
  init?: Initializer;
  biasInit?: Initializer;
}

/**
 * A fully connected network: `widths` are the output sizes of the dense layers (the input
 * size comes from `init`), with `activation` after every layer but the last. E.g.
 * `mlp([200, 80, 3], 'relu')` has n_p = (d+1)·200 + 201·80 + 81·3 parameters.
 */
export function mlp(widths: number[], activation: ActivationName | ActivationFn = 'relu', options?: MlpOptions): Module<Tree[], Tree[]> {
  if (!Array.isArray(widths) || widths.length === 0) throw new RangeError(`mlp: widths must be a non-empty array of layer sizes, got ${fmtValue(widths)}`);
  for (const [i, w] of widths.entries()) checkArg('mlp', `widths[${i}]`, option.int(1), w);
  checkArg('mlp', 'activation', activationOpt(), activation);
  const { bias, init, biasInit } = checkOptions('mlp', options, {
    bias: option.boolean().default(true),
    init: initializerOpt().default(pytorchDefault.weight),
    biasInit: initializerOpt().default(pytorchDefault.bias),
  });
  const layers: LayerLike[] = [];
  widths.forEach((units, i) => {
    layers.push(Dense({ units, bias, init, biasInit }));
    if (i < widths.length - 1) layers.push(activation);
  });
  return sequentialAs('mlp', layers, `mlp(${fmtValue(widths)})`);
}
