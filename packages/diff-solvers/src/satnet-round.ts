// Randomized rounding of SATNet's relaxation (Goemans & Williamson 1995, as the report's §2.2 and
// the SATNet paper use it): a random hyperplane through the origin assigns a variable "true" when
// it falls on the truth direction's side.
import { type Key, type Tensor, isKey, isTensor, randn, splitKey, uniform, withBackend } from '@ddopt/tensor';
import { fmtShape } from '@ddopt/tensor/validate';
import type { SatnetSolution } from './satnet.js';
import { floatTensor, writeTensor } from './util.js';

/**
 * 0/1 assignments [B, n] from SATNet's relaxation. Given a `SatnetSolution` (from `layer.solve`),
 * each board draws one hyperplane r ~ N(0, I_k) and sets ṽ_o = 1 when sign(v_oᵀr) = sign(v_⊤ᵀr),
 * so P(ṽ_o = 1) = z_o and P(ṽ_a ≠ ṽ_b) = ∠(v_a, v_b)/π. Given only z, each entry is an
 * independent Bernoulli(z) draw: the same marginals without the correlations.
 */
export function satnetRound(z: Tensor | SatnetSolution, key: Key): Tensor {
  const where = 'satnetRound';
  if (!isKey(key)) throw new TypeError(`${where}: key must be a PRNG key (prng(seed) or splitKey), got ${typeof key}`);
  if (isTensor(z)) {
    const dtype = floatTensor(where, 'z', z);
    const zv = z.dataSync();
    for (let i = 0; i < zv.length; i++) {
      if (!(zv[i]! >= 0 && zv[i]! <= 1)) throw new RangeError(`${where}: z must lie in [0, 1], got ${zv[i]} at flat index ${i} of ${fmtShape(z.shape)}`);
    }
    const u = withBackend('cpu', () => uniform(key, [zv.length], { dtype: 'float64' }).dataSync());
    const out = new Float64Array(zv.length);
    for (let i = 0; i < zv.length; i++) out[i] = u[i]! < zv[i]! ? 1 : 0;
    return writeTensor(out, z.shape, dtype, z.backend);
  }
  if (z === null || typeof z !== 'object' || !isTensor(z.vectors) || !isTensor(z.z)) {
    throw new TypeError(`${where}: expected a z tensor or a SatnetSolution { z, vectors } from layer.solve, got ${z === null ? 'null' : typeof z}`);
  }
  const { vectors } = z;
  const dtype = floatTensor(where, 'solution.z', z.z);
  if (vectors.rank !== 3 || z.z.rank !== 2 || vectors.shape[0] !== z.z.shape[0] || vectors.shape[1]! <= z.z.shape[1]!) {
    throw new RangeError(`${where}: solution.vectors ${fmtShape(vectors.shape)} does not fit solution.z ${fmtShape(z.z.shape)} (expected [B, n + 1 + aux, k] for z [B, n])`);
  }
  const [B, N, k] = vectors.shape as [number, number, number];
  const n = z.z.shape[1]!;
  const V = vectors.dataSync();
  const [kr] = splitKey(key, 1) as [Key];
  const r = withBackend('cpu', () => randn(kr, [B, k], { dtype: 'float64' }).dataSync());
  const out = new Float64Array(B * n);
  for (let b = 0; b < B; b++) {
    const proj = (i: number) => {
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += V[(b * N + i) * k + kk]! * r[b * k + kk]!;
      return s;
    };
    const truth = proj(0) >= 0;
    for (let i = 0; i < n; i++) out[b * n + i] = proj(i + 1) >= 0 === truth ? 1 : 0;
  }
  return writeTensor(out, [B, n], dtype, z.z.backend);
}
