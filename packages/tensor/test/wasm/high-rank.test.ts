// Movement primitives at the ranks vmap reaches (a batch axis on rank-6 tensors, two on rank 6:
// rank 7 and 8) on 'wasm' against cpu. tfjs-wasm's PadV2 alone was wrong there (from rank 7 on).
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend.js';
import { execute } from '../../src/dispatch.js';
import { type Attrs, type Primitive, prng, randn, toBackend } from '../../src/index.js';
import '../../src/wasm.js';

function agree<P extends Primitive>(p: P, shape: number[], attrs: Attrs<P>): number {
  const x = toBackend(randn(prng(shape.length), shape), 'wasm');
  const got = execute(p, [x], attrs).dataSync();
  const want = execute(p, [toBackend(x, 'cpu')], attrs).dataSync();
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  return worst;
}

describe('wasm movement primitives at ranks 4 to 8 agree with cpu', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  for (const r of [4, 5, 6, 7, 8]) {
    const shape = Array.from({ length: r }, (_, i) => 2 + (i % 2));
    it(`rank ${r}: pad (padded axes first, interleaved and last), slice, transpose, reverse, broadcastTo`, () => {
      const patterns: [number, number][][] = [
        shape.map((_, i) => (i === r - 1 || i === r - 3 ? [0, 1] : [0, 0])),
        shape.map((_, i) => (i === 0 ? [2, 1] : i === r - 2 ? [1, 0] : [0, 0])),
        shape.map((_, i) => (i % 2 === 0 ? [1, 1] : [0, 0])),
      ];
      for (const paddings of patterns) expect(agree('pad', shape, { paddings, value: 0.5 }), JSON.stringify(paddings)).toBe(0);
      expect(agree('slice', shape, { begin: shape.map((_, i) => (i === 1 ? 1 : 0)), size: shape.map((d, i) => (i === 1 ? d - 1 : d)) })).toBe(0);
      expect(agree('transpose', shape, { perm: shape.map((_, i) => r - 1 - i) })).toBe(0);
      expect(agree('reverse', shape, { axes: [0, r - 1] })).toBe(0);
      expect(agree('broadcastTo', shape, { shape: [2, ...shape] })).toBe(0);
    });
  }
});
