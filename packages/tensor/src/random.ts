// Seeded, splittable randomness with no global state (Threefry-2x32 keys, as in JAX).
// Keys split with `splitKey(key, n)`; `split` is the tensor op of ops/indexing.ts.
export { Key, isKey, prng, splitKey, foldIn } from './random/key.js';
export {
  uniform,
  randn,
  bernoulli,
  randint,
  permutation,
  rademacher,
  type FloatSampleOptions,
  type UniformOptions,
  type RademacherOptions,
} from './random/samplers.js';
