// Seeded, splittable randomness with no global state (Threefry-2x32 keys, as in JAX).
// `splitKey` is the contract's `split(key, n)`: the name `split` is taken by the tensor op in
// ops/indexing.ts, which delegates to `splitKey` when handed a Key.
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
