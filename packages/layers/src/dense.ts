import { type Tensor, add, matmul, splitKey, transpose } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { initializerOpt, positionalHint } from './options.js';
import { type Initializer, pytorchDefault } from './initializers.js';
import { type Module, NO_STATE } from './module.js';

/** Options of `Dense`. */
export interface DenseLayerOptions {
  /** Output features. */
  units: number;
  /** Whether to add a bias (default true). */
  bias?: boolean;
  /** Weight initializer (default PyTorch's: U(±1/√fanIn)). */
  init?: Initializer;
  /** Bias initializer, called with the weight's fanIn (default PyTorch's U(±1/√fanIn)). */
  biasInit?: Initializer;
}

/** Parameters of `Dense`: weight [units, in] (PyTorch's layout) and optional bias [units]. */
export interface DenseParams {
  w: Tensor;
  b?: Tensor;
}

/** Fully connected layer y = x·wᵀ + b on the last axis: [N, …, in] → [N, …, units]. */
export function Dense(options: DenseLayerOptions): Module<DenseParams, Record<string, never>> {
  const { units, bias, init, biasInit } = checkOptions(
    'Dense',
    options,
    { units: option.int(1).required(), bias: option.boolean().default(true), init: initializerOpt().default(pytorchDefault.weight), biasInit: initializerOpt().default(pytorchDefault.bias) },
    { hint: positionalHint('Dense', 'units') },
  );
  const name = `Dense(${units})`;
  return {
    name,
    init: (key, inputShape, o = {}) => {
      if (inputShape.length < 1) throw new RangeError(`${name}: inputShape must end in the feature axis, got ${fmtShape(inputShape)}`);
      const fanIn = inputShape[inputShape.length - 1]!;
      const [kw, kb] = splitKey(key, 2) as [typeof key, typeof key];
      const w = init(kw, [units, fanIn], { dtype: o.dtype });
      const params: DenseParams = bias ? { w, b: biasInit(kb, [units], { dtype: o.dtype, fanIn, fanOut: units }) } : { w };
      return { params, state: NO_STATE, outputShape: [...inputShape.slice(0, -1), units] };
    },
    apply: ({ w, b }, x) => {
      if (x.rank < 1 || x.shape[x.rank - 1] !== w.shape[1]) {
        throw new RangeError(`${name}: input's last axis must have ${w.shape[1]} features, got shape ${fmtShape(x.shape)}`);
      }
      const y = matmul(x, transpose(w));
      return b ? add(y, b) : y;
    },
  };
}
