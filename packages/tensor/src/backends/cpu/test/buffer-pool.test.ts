// The cpu backend recycles its kernels' large output arrays (buffer-pool.ts). Recycling must
// never change a value anyone can still see: not an array a read handed out, not an uploaded
// array, not a buffer another tensor (a reshape) still shares; and a recycled array must start
// zeroed, as a fresh one does.
import { describe, expect, it } from 'vitest';
import { fromTypedArray, tensor } from '../../../creation.js';
import * as T from '../../../ops/index.js';
import type { Tensor } from '../../../tensor.js';
import { adopt, output, release } from '../buffer-pool.js';

const N = 10_000; // 80 KB in float64: above the pool's minimum size
const x = tensor(Float64Array.from({ length: N }, (_, i) => i), { dtype: 'float64' });
const handle = (t: Tensor) => (t as unknown as { handle: unknown }).handle;
const expectValues = (t: Tensor, f: (i: number) => number) => {
  const v = t.dataSync();
  for (let i = 0; i < N; i += 997) expect(v[i]).toBe(f(i));
};

describe('cpu buffer pool', () => {
  it('a disposed kernel output is the next output of its dtype and length, with the new values', () => {
    const a = T.add(x, 1);
    const h = handle(a);
    a.dispose();
    const b = T.mul(x, 3);
    expect(handle(b)).toBe(h);
    expectValues(b, (i) => 3 * i);
    b.dispose();
  });

  it('a recycled array starts zeroed', () => {
    const a = output('float64', N);
    adopt(a);
    a.fill(7);
    release(a);
    const b = output('float64', N);
    expect(b).toBe(a);
    expect(b.every((v) => v === 0)).toBe(true);
  });

  it('never recycles an array a read handed out', () => {
    const a = T.add(x, 1);
    const seen = a.dataSync();
    a.dispose();
    const b = T.mul(x, 3);
    expect(handle(b)).not.toBe(seen);
    expect(seen[5]).toBe(6);
    b.dispose();
  });

  it('never recycles an uploaded array, even through a reshape of it', () => {
    const mine = Float64Array.from({ length: N }, () => 1);
    const u = fromTypedArray(mine, [N], 'float64', 'cpu');
    expect(handle(u)).toBe(mine);
    const r = T.reshape(u, [100, 100]);
    r.dispose();
    u.dispose();
    const b = T.mul(x, 3);
    expect(handle(b)).not.toBe(mine);
    expect(mine.every((v) => v === 1)).toBe(true);
    b.dispose();
  });

  it('a buffer shared by a reshape is free only when the last tensor on it is disposed', () => {
    const a = T.add(x, 1);
    const r = T.reshape(a, [100, 100]);
    const h = handle(a);
    a.dispose();
    const b = T.mul(x, 3);
    expect(handle(b)).not.toBe(h);
    // Checked through an op: a read would hand r's array out, and it would never be recycled.
    expect(T.sum(r).item()).toBe((N * (N + 1)) / 2);
    r.dispose();
    const c = T.mul(x, 4);
    expect(handle(c)).toBe(h);
    expectValues(c, (i) => 4 * i);
    b.dispose();
    c.dispose();
  });

  it('small outputs are not pooled', () => {
    const s = T.add(T.reshape(T.slice(x, [0], [100]), [100]), 1);
    const h = handle(s);
    s.dispose();
    const t2 = T.add(T.reshape(T.slice(x, [0], [100]), [100]), 2);
    expect(handle(t2)).not.toBe(h);
  });
});
