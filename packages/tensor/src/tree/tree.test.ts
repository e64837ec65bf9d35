import { describe, expect, it } from 'vitest';
import { scalar, tensor } from '../creation.js';
import { trace } from '../trace.js';
import { prng } from '../random/key.js';
import { isTensor, type Tensor } from '../tensor.js';
import { treeAdd, treeDot, treeNorm, treeScale, treeSub, treeZerosLike } from './math.js';
import { treeLeaves, treeMap, treeZip } from './map.js';
import { type TreeDef, treeDefLeafCount, treeFlatten, treeUnflatten } from './structure.js';

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });
const values = (t: unknown) => (t as Tensor).toArray();

function params() {
  return {
    layers: [
      { w: f64([[1, 2], [3, 4]]), b: f64([0.5, -1]) },
      { w: f64([[2, 0]]), b: f64([3]) },
    ],
    scale: f64([2]),
    frozen: null,
    name: 'mlp',
    steps: 3,
  };
}

describe('treeFlatten / treeUnflatten', () => {
  it('flattens depth-first in insertion order and round-trips', () => {
    const tree = params();
    const { leaves, def } = treeFlatten(tree);
    expect(leaves).toEqual([tree.layers[0]!.w, tree.layers[0]!.b, tree.layers[1]!.w, tree.layers[1]!.b, tree.scale]);
    expect(treeDefLeafCount(def)).toBe(5);
    const back = treeUnflatten<ReturnType<typeof params>>(def, leaves);
    expect(back).toEqual(tree);
    expect(back.layers[1]!.b).toBe(tree.layers[1]!.b);
    expect(Object.keys(back)).toEqual(['layers', 'scale', 'frozen', 'name', 'steps']);
  });

  it('gives a JSON-serializable definition that still unflattens after a round trip', () => {
    const tree = params();
    const { leaves, def } = treeFlatten(tree);
    const revived = JSON.parse(JSON.stringify(def)) as TreeDef;
    expect(revived).toEqual(def);
    const back = treeUnflatten<ReturnType<typeof params>>(revived, leaves);
    expect(back.name).toBe('mlp');
    expect(back.frozen).toBeNull();
    expect(back.layers[0]!.w).toBe(tree.layers[0]!.w);
  });

  it('treats a bare tensor, null, undefined and empty containers as trees', () => {
    const t = f64([1]);
    expect(treeFlatten(t)).toEqual({ leaves: [t], def: { kind: 'tensor' } });
    expect(treeFlatten(null).leaves).toEqual([]);
    expect(treeUnflatten(treeFlatten(undefined).def, [])).toBeUndefined();
    expect(treeUnflatten(treeFlatten({ a: [], b: {} }).def, [])).toEqual({ a: [], b: {} });
  });

  it('keeps class instances such as keys as static leaves', () => {
    const key = prng(1);
    const { leaves, def } = treeFlatten({ key, x: f64([1]) });
    expect(leaves.length).toBe(1);
    expect(treeUnflatten<{ key: unknown }>(def, leaves).key).toBe(key);
  });

  it('checks the number of leaves', () => {
    const { leaves, def } = treeFlatten(params());
    expect(() => treeUnflatten(def, leaves.slice(1))).toThrow('treeUnflatten: the tree definition has 5 leaves, got 4');
  });
});

describe('treeMap', () => {
  it('maps tensor leaves of one or several trees and copies other leaves', () => {
    const a = params();
    const b = treeMap((x) => f64(x.dataSync().length === 1 ? [10] : [0]), a);
    const out = treeMap((x, y) => tensor([x.size, y!.size]), a, b);
    expect(values(out.layers[0]!.w)).toEqual([4, 1]);
    expect(values(out.scale)).toEqual([1, 1]);
    expect(out.name).toBe('mlp');
    expect(out.steps).toBe(3);
    expect(out.frozen).toBeNull();
  });

  it('matches object keys by name, following the first tree for order', () => {
    const out = treeMap((x, y) => tensor([x.item(), y!.item()]), { a: f64([1]), b: f64([2]) }, { b: f64([20]), a: f64([10]) });
    expect(Object.keys(out)).toEqual(['a', 'b']);
    expect(values(out.a)).toEqual([1, 10]);
  });

  it('names the first path where the trees differ', () => {
    const a = params();
    const b = params() as Record<string, unknown>;
    delete (b.layers as Record<string, unknown>[])[1]!.b;
    expect(() => treeMap((x) => x, a, b)).toThrow('treeMap: trees differ at .layers[1].b: Tensor vs missing (tree 0 vs tree 1)');
    expect(() => treeMap((x) => x, { a: [f64([1])] }, { a: [f64([1]), f64([2])] })).toThrow(
      'treeMap: trees differ at .a: array of length 1 vs array of length 2',
    );
    expect(() => treeMap((x) => x, { 'odd key': f64([1]) }, { 'odd key': 3 })).toThrow('at ["odd key"]: Tensor vs number');
    expect(() => treeMap((x) => x, { a: f64([1]) }, { a: f64([1]) }, { a: f64([1]), c: null })).toThrow(
      'treeMap: trees differ at .c: missing vs null (tree 0 vs tree 2)',
    );
    expect(() => treeMap((x) => x, f64([1]), [f64([1])])).toThrow('treeMap: trees differ at (root): Tensor vs array of length 1');
    expect(() => treeMap(3 as never, {})).toThrow('treeMap: the first argument must be a function, got number');
  });
});

describe('treeLeaves / treeZip', () => {
  it('lists leaves and pairs matching ones', () => {
    const a = params();
    const b = treeZerosLike(a);
    expect(treeLeaves(a)).toEqual(treeFlatten(a).leaves);
    const pairs = treeZip(a, b);
    expect(pairs.length).toBe(5);
    expect(pairs[2]![0]).toBe(a.layers[1]!.w);
    expect(pairs[2]![1]).toBe(b.layers[1]!.w);
    expect(() => treeZip(a, { ...b, scale: undefined })).toThrow('treeZip: trees differ at .scale: Tensor vs undefined');
  });
});

describe('tree arithmetic', () => {
  const a = () => ({ w: f64([[1, 2], [3, 4]]), b: [f64([1, -2])] });
  const b = () => ({ w: f64([[0.5, 0.5], [1, -1]]), b: [f64([3, 3])] });

  it('treeAdd, treeSub and treeScale work leafwise', () => {
    expect(values(treeAdd(a(), b()).w)).toEqual([[1.5, 2.5], [4, 3]]);
    expect(values(treeSub(a(), b()).b[0])).toEqual([-2, -5]);
    expect(values(treeScale(a(), 2).w)).toEqual([[2, 4], [6, 8]]);
    expect(values(treeScale(a(), scalar(-1, 'float64')).b[0])).toEqual([-1, 2]);
  });

  it('treeDot and treeNorm match the flattened closed forms', () => {
    // a·b = 0.5 + 1 + 3 − 4 + 3 − 6; |a|² = 1 + 4 + 9 + 16 + 1 + 4
    const dot = treeDot(a(), b());
    expect(dot.shape).toEqual([]);
    expect(dot.dtype).toBe('float64');
    expect(dot.item()).toBeCloseTo(-2.5, 14);
    expect(treeNorm(a()).item()).toBeCloseTo(Math.sqrt(35), 14);
    expect(treeNorm({}).item()).toBe(0);
  });

  it('treeDot is built from primitives only (so autograd can differentiate it)', () => {
    const seen = trace(() => treeNorm(a())).calls.map((c) => c.primitive);
    expect(seen).toContain('mul');
    expect(seen).toContain('sum');
    expect(seen).toContain('add');
    expect(seen).toContain('sqrt');
  });

  it('treeZerosLike keeps shapes, dtypes and structure', () => {
    const z = treeZerosLike({ ...a(), tag: 'x' });
    expect(z.w.shape).toEqual([2, 2]);
    expect(z.w.dtype).toBe('float64');
    expect(values(z.b[0])).toEqual([0, 0]);
    expect(z.tag).toBe('x');
    expect(isTensor(z.w)).toBe(true);
  });

  it('refuses to broadcast, mix dtypes or scale by a non-scalar', () => {
    expect(() => treeAdd({ w: f64([1, 2]) }, { w: f64([1]) })).toThrow('treeAdd: leaves at .w have shapes [2] and [1]');
    expect(() => treeDot([f64([1])], [f64([[1]])])).toThrow('treeDot: leaves at [0] have shapes [1] and [1, 1]');
    expect(() => treeDot({ a: f64([1]), b: tensor([1]) }, { a: f64([1]), b: tensor([1]) })).toThrow(
      'treeDot: leaves have different dtypes: float64 at .a and float32 at .b; cast explicitly',
    );
    expect(() => treeScale(a(), f64([2]))).toThrow('treeScale: the scale must be a number or a rank-0 tensor, got shape [1]');
    expect(() => treeScale(a(), '2' as never)).toThrow('got string');
  });
});
