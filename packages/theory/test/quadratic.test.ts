import { checkGrad } from '@ddopt/autograd';
import { type Tensor, matmul, mul, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { quadraticNetLoss } from '../src/index.js';
import { gaussian } from './monte-carlo.js';

const k = 3;
const d = 4;
const n = 6;
const f64 = (x: number[]) => tensor(x, { dtype: 'float64' });
const W = gaussian(61, k, d);
const a = f64([1, -0.5, 2]);
const X = gaussian(62, n, d);
const y = f64([0.3, -1, 2, 0.1, 0.5, -0.7]);

describe('quadraticNetLoss: ½Σᵢ(Σⱼaⱼ(wⱼᵀxᵢ)² − yᵢ)² (survey eqs. 14 and 20)', () => {
  it('equals ½Σᵢ(xᵢᵀMxᵢ − yᵢ)² with M = Wᵀdiag(a)W (the low-rank matrix form of seed 003, eq. 21)', () => {
    const M = matmul(transpose(W), mul(W, transpose(tensor([[1, -0.5, 2]], { dtype: 'float64' })))).toArray() as number[][];
    const x = X.toArray() as number[][];
    const yy = y.dataSync();
    let want = 0;
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) q += x[i]![r]! * M[r]![c]! * x[i]![c]!;
      want += 0.5 * (q - yy[i]!) ** 2;
    }
    expect(quadraticNetLoss(W, a, X, y).item()).toBeCloseTo(want, 12);
  });

  it('is 0 on labels made by the same net, and its gradient in W agrees with float64 finite differences', () => {
    const labels = f64([...matmul(mul(matmul(X, transpose(W)), matmul(X, transpose(W))), a).dataSync()]);
    expect(quadraticNetLoss(W, a, X, labels).item()).toBeCloseTo(0, 12);
    expect(checkGrad((w: Tensor) => quadraticNetLoss(w, a, X, y), W, { rtol: 1e-7, atol: 1e-8 }).ok).toBe(true);
  });

  it('refuses mismatched shapes, naming the argument', () => {
    expect(() => quadraticNetLoss(W, f64([1, 2]), X, y)).toThrow(/quadraticNetLoss: a \[2\] must have one weight per row of W \[3, 4\]/);
    expect(() => quadraticNetLoss(W, a, X, f64([1]))).toThrow(/quadraticNetLoss: y \[1\] must have one label per row of X \[6, 4\]/);
  });
});
