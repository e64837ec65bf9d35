import { type Tensor, add, bind, transpose } from '@ddopt/tensor';
import type { JvpRule, VjpRule } from './types.js';

/** Swaps the last two axes (batch axes stay). */
function mT(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return transpose(x, perm);
}

const mm = (a: Tensor, b: Tensor): Tensor => bind('matmul', [a, b], {});

/** matmul (equal batch shapes): dA = G·Bᵀ, dB = Aᵀ·G. */
export const matmulVjp: VjpRule<'matmul'> = (g, [a, b], _y, _attrs, needs) => [needs[0] ? mm(g, mT(b!)) : undefined, needs[1] ? mm(mT(a!), g) : undefined];

/** Bilinear: d(AB) = dA·B + A·dB. */
export const matmulJvp: JvpRule<'matmul'> = ([ta, tb], [a, b]) => {
  const l = ta && mm(ta, b!);
  const r = tb && mm(a!, tb);
  return l && r ? add(l, r) : (l ?? r);
};
