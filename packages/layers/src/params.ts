import { isTensor } from '@ddopt/tensor';
import type { Tree } from './module.js';

/** Total number of scalar entries in a pytree of tensors. */
export function countParams(params: Tree): number {
  if (isTensor(params)) return params.size;
  if (Array.isArray(params)) return params.reduce((s: number, p: Tree) => s + countParams(p), 0);
  if (params !== null && typeof params === 'object') return Object.values(params).reduce((s: number, p) => s + countParams(p), 0);
  if (params === undefined || params === null) return 0;
  throw new TypeError(`countParams: leaves must be Tensors, found ${typeof params}`);
}
