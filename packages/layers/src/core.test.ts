import { matmul, prng, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { Dense } from './dense.js';
import { mlp } from './models/mlp.js';
import { applyModule } from './module.js';
import { countParams, embedParams } from './params.js';
import { Sequential } from './sequential.js';
import { leakyRelu, relu } from './activations.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
};

describe('Dense', () => {
  it('computes x·wᵀ + b with PyTorch-layout weights', () => {
    const layer = Dense({ units: 3 });
    const { params, outputShape } = layer.init(prng(0), [2], { dtype: 'float64' });
    expect(outputShape).toEqual([3]);
    expect(params.w.shape).toEqual([3, 2]);
    expect(params.b!.shape).toEqual([3]);
    const x = tensor([[1, 2], [3, -4]], { dtype: 'float64' });
    const y = layer.apply(params, x).dataSync();
    const w = params.w.dataSync();
    const b = params.b!.dataSync();
    const xs = [[1, 2], [3, -4]];
    const expected: number[] = [];
    for (const row of xs) for (let j = 0; j < 3; j++) expected.push(row[0]! * w[j * 2]! + row[1]! * w[j * 2 + 1]! + b[j]!);
    close(y, expected, 1e-12);
  });

  it('has no bias when bias: false and refuses a wrong feature count', () => {
    const layer = Dense({ units: 4, bias: false });
    const { params } = layer.init(prng(1), [5]);
    expect(params.b).toBeUndefined();
    expect(countParams(params)).toBe(20);
    expect(() => layer.apply(params, tensor([[1, 2, 3]]))).toThrow(/last axis must have 5 features, got shape \[1, 3\]/);
  });

  it('rejects a bad units option', () => {
    expect(() => Dense({ units: 0 })).toThrow(/units must be an integer ≥ 1/);
  });

  it('same key, same parameters', () => {
    const a = Dense({ units: 7 }).init(prng(42), [3]).params.w.dataSync();
    const b = Dense({ units: 7 }).init(prng(42), [3]).params.w.dataSync();
    const c = Dense({ units: 7 }).init(prng(43), [3]).params.w.dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});

describe('mlp and Sequential', () => {
  it('n_p = (d+1)H + (H+1)K for one hidden layer', () => {
    const d = 4;
    const h = 13;
    const k = 3;
    const { params, outputShape } = mlp([h, k], 'relu').init(prng(0), [d]);
    expect(countParams(params)).toBe((d + 1) * h + (h + 1) * k);
    expect(outputShape).toEqual([k]);
  });

  it('the momentum report network 4 → 200 → 80 → 3 has 17,323 parameters', () => {
    const { params } = mlp([200, 80, 3], 'relu').init(prng(0), [4]);
    expect(countParams(params)).toBe(5 * 200 + 201 * 80 + 81 * 3);
    expect(countParams(params)).toBe(17323);
  });

  it('composes layers in order and accepts activation functions', () => {
    const net = Sequential([Dense({ units: 3 }), relu, Dense({ units: 2 }), (x) => leakyRelu(x, 0.2)]);
    const { params, state } = net.init(prng(5), [4], { dtype: 'float64' });
    const x = tensor([[0.5, -1, 2, 0.1], [1, 1, -1, 0]], { dtype: 'float64' });
    const { y, state: after } = applyModule(net, params, x, { state });
    expect(after).toHaveLength(4);
    // By hand: dense → relu → dense → leaky relu.
    const [p0, , p2] = params as { w: any; b: any }[];
    const lin = (t: any, p: { w: any; b: any }) => {
      const z = matmul(t, transpose(p.w)).dataSync();
      const b = p.b.dataSync();
      const n = p.w.shape[0];
      return tensor(Array.from(z, (v, i) => v + b[i % n]), { shape: [t.shape[0], n], dtype: 'float64' });
    };
    const h = lin(x, p0!);
    const hr = tensor(Array.from(h.dataSync(), (v) => Math.max(v, 0)), { shape: h.shape, dtype: 'float64' });
    const o = Array.from(lin(hr, p2!).dataSync(), (v) => (v >= 0 ? v : 0.2 * v));
    close(y.dataSync(), o, 1e-12);
  });

  it('refuses params of the wrong structure', () => {
    const net = mlp([3, 2]);
    expect(() => net.apply([] as any, tensor([[1, 2]]))).toThrow(/params must be an array of 3 entries/);
  });
});

describe('embedParams (weight reuse)', () => {
  it('puts a narrow mlp in the leading blocks of a wider one and keeps fresh values elsewhere', () => {
    const small = mlp([3, 2], 'tanh').init(prng(1), [4], { dtype: 'float64' }).params;
    const wide = mlp([5, 2], 'tanh');
    const fresh = wide.init(prng(2), [4], { dtype: 'float64' }).params;
    const grown = embedParams(small, fresh) as any[];
    expect(grown[0].w.shape).toEqual([5, 4]);
    const w = grown[0].w.toArray() as number[][];
    const ws = (small as any[])[0].w.toArray() as number[][];
    const wf = (fresh as any[])[0].w.toArray() as number[][];
    expect(w.slice(0, 3)).toEqual(ws);
    expect(w.slice(3)).toEqual(wf.slice(3));
    const out = (grown[2].w.toArray() as number[][]).map((row) => row.slice(0, 3));
    expect(out).toEqual((small as any[])[2].w.toArray());
    expect(() => embedParams(fresh, small)).toThrow(/does not fit/);
  });
});
