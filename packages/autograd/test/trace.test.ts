// trace composes with autograd: around a transformation it sees the forward and the backward
// pass (every primitive that reaches the backend); inside the differentiated function it sees
// that function's own binds, each once.
import { type Tensor, matmul, prng, randn, splitKey, sum, tanh, trace } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { grad, hvp, valueAndGrad } from '../src/index.js';

const sizes = [5, 4, 3, 2];
const keys = splitKey(prng(3), sizes.length);
const x = randn(keys[0]!, [6, sizes[0]!], { dtype: 'float64' });
const weights = sizes.slice(1).map((n, i) => randn(keys[i + 1]!, [sizes[i]!, n], { dtype: 'float64' }));

/** An MLP without biases: L = 3 matmuls forward. */
const loss = (ws: Tensor[]) => sum(ws.reduce((h, w, i) => (i === ws.length - 1 ? matmul(h, w) : tanh(matmul(h, w))), x));

describe('trace with autograd', () => {
  it('the loss of an L-layer MLP binds L matmuls; its gradient L + (2L − 1)', () => {
    expect(trace(() => loss(weights)).counts.matmul).toBe(3);
    // Backward: one matmul per weight gradient and one per hidden cotangent (none for the data x).
    expect(trace(() => grad(loss)(weights)).counts.matmul).toBe(3 + 5);
    expect(trace(() => valueAndGrad(loss)(weights)).counts.matmul).toBe(3 + 5);
  });

  it('the Hessian-vector product of a linear loss costs three matmuls (primal, tangent, backward)', () => {
    const w = weights[0]!;
    const linear = (v: Tensor) => sum(matmul(x, v));
    expect(trace(() => hvp(linear, w, w)).counts.matmul).toBe(3);
  });

  it('inside the differentiated function it sees the forward pass once, and no rule ops', () => {
    let inner: ReturnType<typeof trace> | undefined;
    grad((ws: Tensor[]) => {
      inner = trace(() => loss(ws));
      return inner.value as Tensor;
    })(weights);
    const plain = trace(() => loss(weights));
    expect(inner!.calls.map((c) => c.primitive)).toEqual(plain.calls.map((c) => c.primitive));
    expect(inner!.calls).toEqual(plain.calls);
  });
});
