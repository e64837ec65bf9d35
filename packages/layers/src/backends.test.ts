// Layers are backend-agnostic: the same float32 parameters give the same outputs on tfjs's wasm
// kernels as on the cpu backend, and a tidy training-style loop keeps the tensor count flat.
import '@ddopt/tensor/wasm';
import { initBackend, numTensors, prng, randn, type Tensor, tidy, toBackend, treeMap, withBackend } from '@ddopt/tensor';
import * as initializers from './initializers.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyModule } from './module.js';
import { cnnK } from './models/cnn-k.js';
import { mlp } from './models/mlp.js';
import { softmaxCrossEntropy } from './losses.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const onWasm = <T>(tree: T): T => treeMap((t: Tensor) => toBackend(t, 'wasm'), tree);

function maxDiff(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

describe('layers on the wasm backend', () => {
  it('mlp and cnnK (with batch norm) match the cpu backend', () => {
    const net = mlp([16, 3], 'gelu');
    const p = net.init(prng(0), [5]);
    const x = randn(prng(1), [4, 5]);
    const cpu = net.apply(p.params, x);
    const wasm = net.apply(onWasm(p.params), toBackend(x, 'wasm'));
    expect(wasm.backend).toBe('wasm');
    expect(maxDiff(cpu, wasm)).toBeLessThan(1e-5);

    const cnn = cnnK(1);
    const c = cnn.init(prng(2), [1, 8, 8]);
    const img = randn(prng(3), [2, 1, 8, 8]);
    const a = applyModule(cnn, c.params, img, { train: true, state: c.state });
    const b = applyModule(cnn, onWasm(c.params), toBackend(img, 'wasm'), { train: true, state: onWasm(c.state) });
    expect(maxDiff(a.y, b.y)).toBeLessThan(1e-4);
  });

  it('a tidy loop keeps the number of live tensors flat', () => {
    const net = mlp([8, 3], 'relu');
    const params = onWasm(net.init(prng(0), [4]).params);
    const x = toBackend(randn(prng(1), [6, 4]), 'wasm');
    const targets = toBackend(randn(prng(3), [6, 3]), 'wasm');
    const step = () => tidy(() => softmaxCrossEntropy(net.apply(params, x), targets).dataSync()[0]);
    step();
    const before = numTensors('wasm');
    for (let i = 0; i < 5; i++) step();
    expect(numTensors('wasm')).toBe(before);
  });
});

describe('initializers on the wasm backend', () => {
  it('each leaves exactly its result allocated (no intermediate draws or scalars)', () => {
    const all: [string, initializers.Initializer][] = [
      ['zeros', initializers.zeros()],
      ['constant', initializers.constant(2)],
      ['normal', initializers.normal(2, 1)],
      ['uniform', initializers.uniform()],
      ['xavierUniform', initializers.xavierUniform()],
      ['xavierNormal', initializers.xavierNormal()],
      ['heUniform', initializers.heUniform()],
      ['heNormal', initializers.heNormal()],
      ['fanInUniform', initializers.fanInUniform()],
      ['orthogonal', initializers.orthogonal({ gain: 2 })],
      ['identity', initializers.identity({ gain: 2 })],
    ];
    withBackend('wasm', () => {
      for (const [name, init] of all) {
        const before = numTensors('wasm');
        const t = init(prng(0), [3, 3]);
        expect(t.backend, name).toBe('wasm');
        expect(numTensors('wasm') - before, name).toBe(1);
        t.dispose();
      }
    });
  });
});

