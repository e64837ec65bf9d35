import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getBackend, initBackend, listBackends, setBackend } from '../../src/backend.js';
import { tensor } from '../../src/creation.js';
import { matmul } from '../../src/ops/matmul.js';
import { sum } from '../../src/ops/reduce.js';
import { execute } from '../../src/dispatch.js';
import { dispose, disposeOnThrow, tidy } from '../../src/scope.js';
import { numTensors, toBackend } from '../../src/transfer.js';
import { registerWasmBackend } from '../../src/wasm.js';

// Deterministic values in [-1, 1) from a seeded LCG.
function seeded(seed: number, n: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (2 * s) / 2 ** 32 - 1;
  });
}

beforeAll(async () => {
  await initBackend('wasm');
});

afterEach(async () => {
  await setBackend('cpu');
});

describe('wasm backend', () => {
  it('is registered by importing @ddopt/tensor/wasm; registering again keeps live tensors usable', async () => {
    expect(listBackends()).toContain('wasm');
    const early = tensor([5, 6], { backend: 'wasm' });
    registerWasmBackend();
    expect(Array.from(early.dataSync())).toEqual([5, 6]);
    early.dispose();
    await setBackend('wasm');
    expect(getBackend()).toBe('wasm');
    const t = tensor([[1, 2], [3, 4]]);
    expect(t.backend).toBe('wasm');
    expect(t.dataSync()).toBeInstanceOf(Float32Array);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4]);
    t.dispose();
  });

  it('reads each dtype back in its storage type', async () => {
    const b = tensor([true, false, true], { backend: 'wasm' });
    const i = tensor([1, -2], { dtype: 'int32', backend: 'wasm' });
    expect(b.dataSync()).toBeInstanceOf(Uint8Array);
    expect(Array.from(b.dataSync())).toEqual([1, 0, 1]);
    expect(b.toArray()).toEqual([true, false, true]);
    expect(await i.data()).toBeInstanceOf(Int32Array);
    expect(Array.from(await i.data())).toEqual([1, -2]);
    dispose([b, i]);
  });

  it('keeps the tfjs tensor count flat over 1,000 matmul+reduce steps in tidy', () => {
    const w = tensor(seeded(1, 32 * 32), { shape: [32, 32], backend: 'wasm' });
    let x = tensor(seeded(2, 8 * 32), { shape: [8, 32], backend: 'wasm' });
    // w / 8 keeps the iterates bounded (|entries of w| < 1, so its norm is below 32).
    const scale = tensor(new Float32Array(32 * 32).map((_, k) => (k % 33 === 0 ? 1 / 8 : 0)), { shape: [32, 32], backend: 'wasm' });
    const before = numTensors('wasm');
    let last = 0;
    for (let step = 0; step < 1000; step++) {
      const next = tidy(() => {
        const y = matmul(x, w);
        last = sum(y).item();
        // The result survives the tidy and replaces x.
        return matmul(y, scale);
      });
      x.dispose();
      x = next;
      if (step === 0) expect(numTensors('wasm')).toBe(before);
    }
    expect(numTensors('wasm')).toBe(before);
    expect(Number.isFinite(last)).toBe(true);
    dispose([w, x, scale]);
  });

  it('tidy frees every tensor of a callback that throws, nested tidies included', () => {
    const before = numTensors('wasm');
    expect(() =>
      tidy(() => {
        tensor([1, 2], { backend: 'wasm' });
        tidy(() => {
          sum(tensor([3, 4], { backend: 'wasm' }));
          throw new Error('inner failed');
        });
      }),
    ).toThrow('inner failed');
    expect(numTensors('wasm')).toBe(before);
  });

  it('disposeOnThrow frees what a throwing callback made and keeps everything a returning one made', () => {
    const before = numTensors('wasm');
    expect(() =>
      disposeOnThrow(() => {
        sum(tensor([1, 2], { backend: 'wasm' }));
        throw new Error('failed');
      }),
    ).toThrow('failed');
    expect(numTensors('wasm')).toBe(before);
    const made: unknown[] = [];
    const out = disposeOnThrow(() => {
      const a = tensor([1, 2], { backend: 'wasm' });
      made.push(a);
      return sum(a);
    });
    expect(numTensors('wasm')).toBe(before + 2);
    // Inside a tidy, what disposeOnThrow made belongs to the tidy.
    tidy(() => {
      disposeOnThrow(() => tensor([5], { backend: 'wasm' }));
    });
    expect(numTensors('wasm')).toBe(before + 2);
    dispose([out, made]);
    expect(numTensors('wasm')).toBe(before);
  });

  it('tidy frees intermediates created on wasm', () => {
    const before = numTensors('wasm');
    const kept = tidy(() => {
      const a = tensor([[1, 2, 3]], { backend: 'wasm' });
      return sum(matmul(a, tensor([[1], [1], [1]], { backend: 'wasm' })));
    });
    expect(kept.item()).toBe(6);
    expect(numTensors('wasm')).toBe(before + 1);
    kept.dispose();
    expect(numTensors('wasm')).toBe(before);
  });
});

describe('wasm index errors', () => {
  it('gather and scatterAdd refuse out-of-range indices, naming the index and the size', () => {
    const before = numTensors('wasm');
    const x = tensor([1, 2, 3], { backend: 'wasm' });
    const bad = tensor([0, 3], { dtype: 'int32', backend: 'wasm' });
    const updates = tensor([1, 1], { backend: 'wasm' });
    expect(() => execute('gather', [x, bad], { axis: 0 })).toThrow(/gather: index 3 at flat position 1 is out of range for axis 0 of input \[3\] of size 3/);
    expect(() => execute('scatterAdd', [bad, updates], { axis: 0, size: 2 })).toThrow(
      /scatterAdd: index 3 at flat position 1 is out of range for output axis 0 of size 2/,
    );
    dispose([x, bad, updates]);
    // Whatever the failed kernels created inside tf.tidy was freed.
    expect(numTensors('wasm')).toBe(before);
  });
});

describe('toBackend and numTensors', () => {
  it('moves values between cpu and wasm and back, counting the wasm copy', () => {
    const c = tensor([[1.5, -2], [3, 4]]);
    const before = numTensors('wasm');
    const w = toBackend(c, 'wasm');
    expect(w.backend).toBe('wasm');
    expect(w.shape).toEqual([2, 2]);
    expect(numTensors('wasm')).toBe(before + 1);
    const back = toBackend(w, 'cpu');
    expect(back.backend).toBe('cpu');
    expect(back.toArray()).toEqual([[1.5, -2], [3, 4]]);
    w.dispose();
    expect(numTensors('wasm')).toBe(before);
    expect(numTensors('cpu')).toBe(0);
  });

  it('returns the tensor itself for its own backend', () => {
    const c = tensor([1, 2]);
    expect(toBackend(c, 'cpu')).toBe(c);
  });

  it('refuses float64 on wasm, naming both backends and asking for a cast', () => {
    const c = tensor([1, 2], { dtype: 'float64' });
    expect(() => toBackend(c, 'wasm')).toThrow(/backend "wasm" does not support float64.*float32, int32, bool.*"cpu".*cast/);
    expect(() => tensor([1, 2], { dtype: 'float64', backend: 'wasm' })).toThrow(/"wasm" does not support float64.*cast/);
  });

  it('an unknown backend lists the known ones', async () => {
    await expect(setBackend('tpu')).rejects.toThrow(/unknown backend "tpu"; registered: cpu.*wasm/);
    expect(() => toBackend(tensor([1]), 'tpu')).toThrow(/unknown backend "tpu"; registered: cpu.*wasm/);
  });
});
