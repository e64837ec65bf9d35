// A rank-0 operand of a binary or comparison op reaches the primitive as it is: `mul(x, 2)` is one
// mul kernel over x, not a broadcast of 2 to x's shape and then a mul. The primitives accept equal
// shapes or one rank-0 side, nothing else (broadcasting stays the ops layer's job).
import { describe, expect, it } from 'vitest';
import { arange, tensor } from '../../src/creation.js';
import { bind, withBindHook } from '../../src/dispatch.js';
import type { Primitive } from '../../src/primitives.js';
import * as T from '../../src/ops/index.js';
import type { Tensor } from '../../src/tensor.js';

const x = (shape: number[], dtype: 'float64' | 'float32' = 'float64') => T.reshape(arange(0, shape.reduce((a, b) => a * b, 1), 1, dtype), shape);

function primitivesOf(f: () => Tensor): Primitive[] {
  const seen: Primitive[] = [];
  withBindHook((p, inputs, attrs, next) => {
    seen.push(p);
    return next(p, inputs, attrs);
  }, f);
  return seen;
}

describe('rank-0 operands', () => {
  it('a JS number or a rank-0 tensor meets the other operand without a broadcastTo', () => {
    const a = x([2, 3]);
    expect(primitivesOf(() => T.mul(a, 2))).toEqual(['mul']);
    expect(primitivesOf(() => T.sub(2, a))).toEqual(['sub']);
    expect(primitivesOf(() => T.greater(a, 0))).toEqual(['greater']);
    const s = tensor(3, { dtype: 'float64' });
    expect(primitivesOf(() => T.div(s, a))).toEqual(['div']);
    expect(Array.from(T.div(s, T.add(a, 1)).dataSync())).toEqual([3, 1.5, 1, 0.75, 0.6, 0.5]);
  });

  it('a size-1 tensor of rank ≥ 1 is still broadcast by the ops layer', () => {
    const [a, one] = [x([2, 3]), x([1])];
    expect(primitivesOf(() => T.mul(a, one))).toEqual(['broadcastTo', 'mul']);
  });

  it('the primitives refuse any other pair of shapes, and mixed dtypes, naming both', () => {
    expect(() => bind('add', [x([2, 3]), x([3])], {})).toThrow('add: shapes [2, 3] and [3] differ (a primitive takes equal shapes or one rank-0 operand)');
    expect(() => bind('less', [x([1]), x([3])], {})).toThrow('less: shapes [1] and [3] differ (a primitive takes equal shapes or one rank-0 operand)');
    expect(() => bind('mul', [x([3]), tensor(2, { dtype: 'float32' })], {})).toThrow('mul: dtypes float64 and float32 differ; cast one explicitly');
  });

  it('a rank-0 operand against an empty tensor gives an empty result of the empty shape', () => {
    const e = T.reshape(arange(0, 0, 1, 'float64'), [0, 3]);
    expect(T.add(2, e).shape).toEqual([0, 3]);
    expect(T.equal(e, 2).shape).toEqual([0, 3]);
  });
});
