import { describe, expect, it } from 'vitest';
import { tensor, mul, sum, tanh, exp } from '@ddopt/tensor';
import { grad, hvp, jvp } from '../src/index.js';

describe('smoke', () => {
  it('grad of sum x^2', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64' });
    const g = grad((x: any) => sum(mul(x, x)))(x);
    expect(g.toArray()).toEqual([2, 4, 6]);
    const [, t] = jvp((x: any) => tanh(exp(x)), [x], [tensor([1, 0, 0], { dtype: 'float64' })]);
    console.log(t.toArray());
    const h = hvp((x: any) => sum(mul(mul(x, x), x)), x, tensor([1, 1, 1], { dtype: 'float64' }));
    expect(h.toArray()).toEqual([6, 12, 18]);
  });
});
