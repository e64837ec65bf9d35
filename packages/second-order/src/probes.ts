// Seeded probe vectors on the flat space: sample i of a run draws from foldIn(prng(seed), i), so
// every sample is reproducible on its own and runs with the same seed agree bit for bit. Drawn in
// float64 on cpu whatever the params' backend (then written in their dtype).
import { type Key, foldIn, prng, rademacher, randn, withBackend } from '@ddopt/tensor';

/** @internal The key of sample `i` under `seed` (a second index separates streams, e.g. runs). */
export function sampleKey(seed: number, i: number, stream = 0): Key {
  return foldIn(foldIn(prng(seed), stream), i);
}

/** @internal n independent ±1 values. */
export function rademacherFlat(key: Key, n: number): Float64Array {
  return withBackend('cpu', () => Float64Array.from(rademacher(key, [n], { dtype: 'float64' }).dataSync()));
}

/** @internal n standard normal values. */
export function normalFlat(key: Key, n: number): Float64Array {
  return withBackend('cpu', () => Float64Array.from(randn(key, [n], { dtype: 'float64' }).dataSync()));
}
