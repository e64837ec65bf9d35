import { type Key, type Tensor, randint, splitKey, tensor, uniform, withBackend } from '@ddopt/tensor';
import { assertInt, assertTensor, checkOptions, fmtShape, option } from '@ddopt/tensor/validate';
import { KEY } from './options.js';

/** Options of `labelNoise`. */
export interface LabelNoiseOptions {
  /** Probability of replacing a label, in [0, 1]. */
  p: number;
  numClasses: number;
  key: Key;
}

/**
 * Keeps each int32 label with probability 1 − p and otherwise replaces it by a uniformly random
 * *different* class (the double-descent report's label noise). Returns the new labels and a
 * bool mask of the corrupted samples.
 */
export function labelNoise(labels: Tensor, given: LabelNoiseOptions): { labels: Tensor; corrupted: Tensor } {
  assertTensor('labelNoise', 'labels', labels);
  const options = checkOptions('labelNoise', given, { p: option.number({ min: 0, max: 1 }).required(), numClasses: option.int(2).required(), key: KEY.required() });
  if (labels.dtype !== 'int32' || labels.rank !== 1) throw new TypeError(`labelNoise: labels must be int32 [N], got ${labels.dtype} ${fmtShape(labels.shape)}`);
  const { p } = options;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`labelNoise: p must be in [0, 1], got ${p}`);
  const k = assertInt('labelNoise', 'numClasses', options.numClasses, 2);
  const n = labels.shape[0]!;
  const y = labels.dataSync();
  for (let i = 0; i < n; i++) if (y[i]! < 0 || y[i]! >= k) throw new RangeError(`labelNoise: label ${y[i]} at index ${i} is outside [0, ${k})`);
  const [ku, kr] = splitKey(options.key, 2) as [Key, Key];
  // Drawn on cpu (float64) whatever the current backend: the labels are rebuilt on the host.
  const u = withBackend('cpu', () => uniform(ku, [n], { dtype: 'float64' }).dataSync());
  // A shift in 1..k−1 added mod k picks each wrong class with probability 1/(k−1).
  const shift = n > 0 ? withBackend('cpu', () => randint(kr, [n], 1, k).dataSync()) : new Int32Array(0);
  const out = new Int32Array(n);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (u[i]! < p) {
      out[i] = (y[i]! + shift[i]!) % k;
      mask[i] = 1;
    } else out[i] = y[i]!;
  }
  return { labels: tensor(out, { dtype: 'int32' }), corrupted: tensor(mask, { shape: [n], dtype: 'bool' }) };
}
