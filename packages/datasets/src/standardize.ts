import { type Tensor, div, mean, sqrt, square, sub, tensor } from '@ddopt/tensor';
import { fmtShape } from '@ddopt/tensor/validate';

/** Per-feature mean and standard deviation, each with the shape of one sample. */
export interface Standardization {
  mean: Tensor;
  std: Tensor;
}

/**
 * Per-feature mean and (population) standard deviation over the sample axis 0. Features with
 * zero spread get std 1, so standardizing leaves them at 0 instead of dividing by zero.
 */
export function fitStandardization(x: Tensor): Standardization {
  if (x.rank < 2) throw new RangeError(`fitStandardization: x must be [N, ...features], got ${fmtShape(x.shape)}`);
  const mu = mean(x, { axis: 0 });
  const sd = sqrt(mean(square(sub(x, mu)), { axis: 0 }));
  const v = sd.dataSync();
  const safe = Array.from(v, (s) => (s > 0 ? s : 1));
  return { mean: mu, std: tensor(safe, { shape: sd.shape, dtype: sd.dtype }) };
}

/** (x − mean) / std per feature; fit the statistics on training data and reuse them for test data. */
export function standardize(x: Tensor, stats: Standardization = fitStandardization(x)): Tensor {
  const sample = x.shape.slice(1);
  if (sample.length !== stats.mean.rank || sample.some((d, i) => d !== stats.mean.shape[i])) {
    throw new RangeError(`standardize: x ${fmtShape(x.shape)} does not match statistics for samples of shape ${fmtShape(stats.mean.shape)}`);
  }
  return div(sub(x, stats.mean), stats.std);
}
