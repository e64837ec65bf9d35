import { type Tensor, conv1d, mean, reshape, sum } from '@ddopt/tensor';
import { checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { activationOpt, initializerOpt, positionalHint } from './options.js';
import { type ActivationFn, type ActivationName, resolveActivation } from './activations.js';
import { type Initializer, normal } from './initializers.js';
import { type Module, NO_STATE } from './module.js';
import { checkInputShape } from './input-shape.js';

/** Options of `PatchConv`. */
export interface PatchConvLayerOptions {
  /** Length of each patch Pᵢx. */
  patchSize: number;
  /** Offset between patches: = patchSize for disjoint patches, < patchSize to overlap (default patchSize). */
  stride?: number;
  /** Shared filters w (default 1). */
  filters?: number;
  activation?: ActivationName | ActivationFn;
  /** Σᵢ (eq. 8 of the survey) or the mean over patches (the 1/k of its eq. 10); default 'sum'. */
  reduce?: 'sum' | 'mean';
  /** Initializer of w [filters, patchSize] (default N(0, 1/patchSize)). */
  init?: Initializer;
}

/**
 * The shared-weight patch model f(x) = Σᵢ σ(wᵀPᵢx) on x [N, d]: the same filter w sees the
 * patches x[i·s : i·s + p]; output [N, filters]. Params `{ w }` with w [filters, patchSize].
 */
export function PatchConv(given: PatchConvLayerOptions): Module<{ w: Tensor }, Record<string, never>> {
  const options = checkOptions(
    'PatchConv',
    given,
    {
      patchSize: option.int(1).required(),
      stride: option.int(1),
      filters: option.int(1).default(1),
      activation: activationOpt().default('relu'),
      reduce: option.oneOf(['sum', 'mean']).default('sum'),
      init: initializerOpt(),
    },
    { hint: positionalHint('PatchConv', 'patchSize') },
  );
  const p = options.patchSize;
  const stride = options.stride ?? p;
  const { filters, reduce } = options;
  const sigma = resolveActivation(options.activation, 'PatchConv');
  const init = options.init ?? normal(1 / Math.sqrt(p));
  return {
    name: `PatchConv(${p}/${stride})`,
    init: (key, inputShape, o = {}) => {
      checkInputShape('PatchConv', inputShape, 1, '[d]');
      const d = inputShape[0]!;
      if (d < p || (d - p) % stride !== 0) {
        throw new RangeError(`PatchConv: patches of ${p} with stride ${stride} must tile the input length ${d} exactly (need d ≥ ${p} and (d − ${p}) divisible by ${stride})`);
      }
      return { params: { w: init(key, [filters, p], { dtype: o.dtype, fanIn: p, fanOut: filters }) }, state: NO_STATE, outputShape: [filters] };
    },
    apply: ({ w }, x) => {
      if (x.rank !== 2) throw new RangeError(`PatchConv: input must be [N, d], got ${fmtShape(x.shape)}`);
      const n = x.shape[0]!;
      const z = conv1d(reshape(x, [n, 1, x.shape[1]!]), reshape(w, [filters, 1, p]), { stride });
      const a = sigma(z);
      return reduce === 'sum' ? sum(a, { axis: 2 }) : mean(a, { axis: 2 });
    },
  };
}

/** Number of patches `PatchConv` extracts from an input of length d. */
export function patchCount(d: number, patchSize: number, stride = patchSize): number {
  return Math.floor((d - patchSize) / stride) + 1;
}
