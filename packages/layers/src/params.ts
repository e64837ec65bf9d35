import { type Tensor, isTensor, tensor, treeMap } from '@ddopt/tensor';
import { fmtShape } from '@ddopt/tensor/validate';
import type { Tree } from './module.js';

/** Total number of scalar entries in a pytree of tensors. */
export function countParams(params: Tree): number {
  if (isTensor(params)) return params.size;
  if (Array.isArray(params)) return params.reduce((s: number, p: Tree) => s + countParams(p), 0);
  if (params !== null && typeof params === 'object') return Object.values(params).reduce((s: number, p) => s + countParams(p), 0);
  if (params === undefined || params === null) return 0;
  throw new TypeError(`countParams: leaves must be Tensors, found ${typeof params}`);
}

/**
 * Belkin et al.'s weight reuse: returns `large` with each leaf's leading block replaced by the
 * matching leaf of `small` (same pytree structure, every dimension of a small leaf ≤ the large
 * one's). Growing an `mlp` from H to H' hidden units this way keeps the trained small network
 * inside the new one; the other entries keep `large`'s fresh initialization.
 */
export function embedParams<T>(small: T, large: T): T {
  return treeMap(
    (big: Tensor, sm: Tensor) => {
      if (sm.rank !== big.rank || sm.shape.some((d, i) => d > big.shape[i]!)) {
        throw new RangeError(`embedParams: a small leaf of shape ${fmtShape(sm.shape)} does not fit in the large leaf ${fmtShape(big.shape)}`);
      }
      if (sm.dtype !== big.dtype) throw new TypeError(`embedParams: dtypes differ (${sm.dtype} vs ${big.dtype})`);
      const out = Float64Array.from(big.dataSync());
      const src = sm.dataSync();
      const bigStrides = strides(big.shape);
      const smStrides = strides(sm.shape);
      for (let i = 0; i < sm.size; i++) {
        let rest = i;
        let at = 0;
        for (let d = 0; d < sm.rank; d++) {
          const idx = Math.floor(rest / smStrides[d]!);
          rest -= idx * smStrides[d]!;
          at += idx * bigStrides[d]!;
        }
        out[at] = src[i]!;
      }
      return tensor(out, { shape: big.shape, dtype: big.dtype, backend: big.backend });
    },
    large,
    small,
  );
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1]! * shape[d + 1]!;
  return s;
}
