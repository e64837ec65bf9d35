import { grad } from '@ddopt/autograd';
import { type Tensor, add, matmul, mul, reshape, sub, sum, svd, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { linearResidualLoss, residualProduct } from '../src/index.js';
import { expectWithinSe, gaussian } from './monte-carlo.js';

const l = 3;
const d = 4;
const f64 = (x: number[][]) => tensor(x, { dtype: 'float64' });
/** l random blocks, each scaled to spectral norm `tau`. */
function blocks(seed: number, tau: number): Tensor {
  const raw = gaussian(seed, l * d, d).toArray() as number[][];
  const out: number[][][] = [];
  for (let i = 0; i < l; i++) {
    const m = f64(raw.slice(i * d, (i + 1) * d));
    const s = svd(m).s.dataSync()[0]!;
    out.push(mul(m, tau / s).toArray() as number[][]);
  }
  return tensor(out, { dtype: 'float64' });
}
const R = f64([[1.2, 0.1, 0, 0], [0, 0.9, 0.2, 0], [0.1, 0, 1.1, 0], [0, 0, 0, 0.8]]);

describe('linearResidualLoss: E‖(I + A_l)⋯(I + A₁)x − Rx‖² (Hardt & Ma, seed 003 eq. 31)', () => {
  it('matches a seeded Monte Carlo for x ~ N(0, I) and for x ~ N(0, Σ) (10⁵ samples, 4 s.e.)', () => {
    const A = blocks(71, 0.4);
    const Z = gaussian(72, 100_000, d);
    const P = residualProduct(A);
    for (const L of [undefined, f64([[1, 0, 0, 0], [0.5, 1, 0, 0], [0, 0.3, 0.8, 0], [0, 0, 0.2, 1.5]])]) {
      const Xs = L === undefined ? Z : matmul(Z, transpose(L));
      const E = matmul(Xs, transpose(sub(P, R)));
      const per = sum(mul(E, E), { axis: 1 }).dataSync();
      const options = L === undefined ? {} : { covariance: matmul(L, transpose(L)) };
      expectWithinSe(linearResidualLoss(A, R, options).item(), per);
    }
  });

  it('satisfies eq. (31), ‖∇f(A)‖²_F ≥ 4l(1 − τ)^{2l−2}σ_min(Σ)(f(A) − C_opt), at random A with ‖Aᵢ‖ = τ', () => {
    for (const [seed, tau] of [[73, 0.1], [74, 0.3], [75, 0.6]] as const) {
      const A = blocks(seed, tau);
      const f = linearResidualLoss(A, R).item();
      const g = grad((a: Tensor) => linearResidualLoss(a, R))(A);
      const g2 = sum(mul(g, g)).item();
      // Σ = I, so σ_min(Σ) = 1; C_opt = 0 (y = Rx has no noise).
      expect(g2).toBeGreaterThanOrEqual(4 * l * (1 - tau) ** (2 * l - 2) * f);
    }
  });

  it('multiplies (I + A_l)⋯(I + A₁) in that order and refuses mismatched sizes', () => {
    const A = blocks(76, 0.5);
    const parts = [0, 1, 2].map((i) => add(reshape(tensor([...A.dataSync()].slice(i * 16, (i + 1) * 16), { dtype: 'float64' }), [4, 4]), f64([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])));
    const want = matmul(parts[2]!, matmul(parts[1]!, parts[0]!)).dataSync();
    const got = residualProduct(A).dataSync();
    for (let i = 0; i < 16; i++) expect(got[i]).toBeCloseTo(want[i]!, 14);
    expect(() => linearResidualLoss(A, f64([[1, 0], [0, 1]]))).toThrow(/linearResidualLoss: A must be \[l, d, d\] and R \[d, d\] with one d, got A \[3, 4, 4\] and R \[2, 2\]/);
    expect(() => linearResidualLoss(A, R, { cov: R } as never)).toThrow(/linearResidualLoss: unknown option "cov"/);
  });
});
