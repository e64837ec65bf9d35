// Abstract tensors: shape, dtype and backend without values (vmap's one-example view of a batch).
import { describe, expect, it } from 'vitest';
import { abstractTensor, add, bind, tensor, tidy, trace, withBindHook } from '../../src/index.js';

describe('abstractTensor', () => {
  it('has a shape and a dtype; reading it, or a kernel meeting it, throws its message naming the tensor', () => {
    const a = abstractTensor([2, 3], 'float64', 'cpu', 'inside vmap: no values here');
    expect([a.shape, a.dtype, a.backend, a.size, a.rank, a.isAbstract]).toEqual([[2, 3], 'float64', 'cpu', 6, 2, true]);
    expect(() => a.dataSync()).toThrow(/^inside vmap: no values here \(tensor #\d+ \[2, 3\] float64\)$/);
    expect(() => abstractTensor([1], 'float64', 'cpu', 'inside vmap: no values here').item()).toThrow(/inside vmap: no values here/);
    expect(() => add(a, tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' }))).toThrow(/inside vmap: no values here/);
    expect(a.toString()).toBe('Tensor([2, 3], float64, cpu) <abstract>');
    expect(tensor([1]).isAbstract).toBe(false);
  });

  it('a hook that knows it answers for it, so ops and trace see only specs', () => {
    const a = abstractTensor([3], 'float32', 'cpu', 'unreadable');
    const t = trace(() =>
      withBindHook(
        (p, inputs, attrs, next) => (inputs.includes(a) ? abstractTensor([3], 'float32', 'cpu', 'unreadable too') : next(p, inputs, attrs)),
        () => bind('exp', [a], {}),
      ),
    );
    expect(t.value.isAbstract).toBe(true);
    expect(t.calls).toEqual([]); // answered above trace's hook: nothing reached a kernel
  });

  it('holds no memory: dispose and tidy leave it readable as what it was', () => {
    const inner = tidy(() => {
      abstractTensor([1], 'float32', 'cpu', 'x');
      return abstractTensor([1], 'float32', 'cpu', 'y');
    });
    inner.dispose();
    expect(inner.isDisposed).toBe(false);
    expect(() => inner.dataSync()).toThrow(/^y \(tensor/);
  });
});
