// Datasets work when the current backend is tfjs's wasm (float32 only) and batching leaks nothing.
import '@ddopt/tensor/wasm';
import { getBackend, initBackend, numTensors, prng, setBackend, toBackend } from '@ddopt/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batches } from './batches.js';
import { circles, twoSpirals, xor } from './generators/toy.js';
import { iris } from './iris.js';
import { labelNoise } from './label-noise.js';
import { trainTestSplit } from './split.js';

let previous = 'cpu';
beforeAll(async () => {
  previous = getBackend();
  await initBackend('wasm');
  await setBackend('wasm');
});
afterAll(async () => {
  await setBackend(previous);
});

describe('datasets on the wasm backend', () => {
  it('generators and label noise give the same values as on cpu', async () => {
    const onWasm = [twoSpirals({ n: 20, key: prng(0), noise: 0.1 }), xor({ n: 20, key: prng(0) }), circles({ n: 20, key: prng(0) })];
    expect(onWasm[0]!.x.backend).toBe('wasm');
    const labels = toBackend(iris().y, 'wasm');
    const noisy = labelNoise(labels, { p: 0.3, numClasses: 3, key: prng(1) });
    await setBackend('cpu');
    const onCpu = [twoSpirals({ n: 20, key: prng(0), noise: 0.1 }), xor({ n: 20, key: prng(0) }), circles({ n: 20, key: prng(0) })];
    const cpuNoisy = labelNoise(iris().y, { p: 0.3, numClasses: 3, key: prng(1) });
    await setBackend('wasm');
    onWasm.forEach((d, i) => {
      expect(Array.from(d.x.dataSync())).toEqual(Array.from(onCpu[i]!.x.dataSync()));
    });
    expect(Array.from(noisy.labels.dataSync())).toEqual(Array.from(cpuNoisy.labels.dataSync()));
  });

  it('batches and splits keep the tensor count flat when their outputs are disposed', () => {
    const data = iris();
    expect(data.x.backend).toBe('wasm');
    const count = () => numTensors('wasm');
    const disposeBatches = (e: number) => {
      for (const b of batches(data, { batchSize: 32, shuffle: true, seed: 0, epoch: e })) {
        expect(b.classNames).toEqual(data.classNames);
        b.x.dispose();
        b.y.dispose();
      }
    };
    disposeBatches(0);
    const before = count();
    for (let e = 1; e < 4; e++) disposeBatches(e);
    const split = trainTestSplit({ x: data.x, y: data.y }, { testSize: 0.2, seed: 1 });
    for (const part of [split.train, split.test]) {
      part.x.dispose();
      part.y.dispose();
    }
    expect(count()).toBe(before);
  });
});
