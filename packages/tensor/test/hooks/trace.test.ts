// trace(fn) against hand-counted primitive sequences of composite ops.
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/creation.js';
import { type BindHook, withBindHook } from '../../src/dispatch.js';
import { matmul, mean, mul, softmax, sum } from '../../src/ops/index.js';
import { trace } from '../../src/trace.js';

const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
const y = tensor([1, 2, 3], { dtype: 'float64' });
const f64 = (...shape: number[]) => ({ shape, dtype: 'float64' });

describe('trace', () => {
  it('records softmax as max, reshape, broadcastTo, sub, exp, sum, reshape, broadcastTo, div', () => {
    const { value, calls, counts } = trace(() => softmax(x));
    // max(x, keepdims) = reshape(max over axis 1); x − m broadcasts m; likewise for the sum and the division.
    expect(calls).toEqual([
      { primitive: 'max', inputs: [f64(2, 3)], output: f64(2), attrs: { axes: [1] } },
      { primitive: 'reshape', inputs: [f64(2)], output: f64(2, 1), attrs: { shape: [2, 1] } },
      { primitive: 'broadcastTo', inputs: [f64(2, 1)], output: f64(2, 3), attrs: { shape: [2, 3] } },
      { primitive: 'sub', inputs: [f64(2, 3), f64(2, 3)], output: f64(2, 3), attrs: {} },
      { primitive: 'exp', inputs: [f64(2, 3)], output: f64(2, 3), attrs: {} },
      { primitive: 'sum', inputs: [f64(2, 3)], output: f64(2), attrs: { axes: [1] } },
      { primitive: 'reshape', inputs: [f64(2)], output: f64(2, 1), attrs: { shape: [2, 1] } },
      { primitive: 'broadcastTo', inputs: [f64(2, 1)], output: f64(2, 3), attrs: { shape: [2, 3] } },
      { primitive: 'div', inputs: [f64(2, 3), f64(2, 3)], output: f64(2, 3), attrs: {} },
    ]);
    expect(counts).toEqual({ max: 1, reshape: 2, broadcastTo: 2, sub: 1, exp: 1, sum: 1, div: 1 });
    expect(value.shape).toEqual([2, 3]);
  });

  it('records matrix-vector products and reductions with their dtypes and attrs', () => {
    // matmul promotes the vector to a column and drops it again; mean is sum / n (a scalar constant, no bind).
    const t = trace(() => mean(matmul(x, y)));
    expect(t.calls.map((c) => c.primitive)).toEqual(['reshape', 'matmul', 'reshape', 'sum', 'div']);
    expect(t.calls[1]).toEqual({ primitive: 'matmul', inputs: [f64(2, 3), f64(3, 1)], output: f64(2, 1), attrs: {} });
    expect(t.value.item()).toBe((14 + 32) / 2);
    const f32 = trace(() => sum(mul(tensor([[1, 2]]), tensor([3]))));
    expect(f32.calls.map((c) => [c.primitive, c.output.dtype])).toEqual([
      ['broadcastTo', 'float32'],
      ['mul', 'float32'],
      ['sum', 'float32'],
    ]);
  });

  it('is empty for a function that binds nothing, and nested traces both see every call', () => {
    expect(trace(() => 3)).toEqual({ value: 3, calls: [], counts: {} });
    let inner: ReturnType<typeof trace> | undefined;
    const outer = trace(() => {
      inner = trace(() => softmax(x));
      return sum(x);
    });
    expect(inner!.calls.length).toBe(9);
    expect(outer.calls.map((c) => c.primitive)).toEqual([...inner!.calls.map((c) => c.primitive), 'sum']);
  });

  it('under a hook that rewrites calls, records what that hook is asked (it sits below the tracer)', () => {
    const doubling: BindHook = (p, inputs, attrs, next) => (p === 'exp' ? next('mul', [inputs[0]!, inputs[0]!], {}) : next(p, inputs, attrs));
    const seen: string[] = [];
    const logging: BindHook = (p, inputs, attrs, next) => {
      seen.push(p);
      return next(p, inputs, attrs);
    };
    const t = withBindHook(logging, () => withBindHook(doubling, () => trace(() => softmax(x))));
    expect(t.counts.exp).toBe(1);
    expect(t.counts.mul).toBeUndefined();
    expect(seen.filter((p) => p === 'mul').length).toBe(1);
  });

  it('pops its hook when fn throws, and refuses a non-function', () => {
    expect(() =>
      trace(() => {
        sum(x);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(trace(() => sum(x)).calls.length).toBe(1);
    expect(() => trace(42 as unknown as () => void)).toThrow('trace: fn must be a function, got number');
  });
});
