import '@ddopt/tensor/wasm';
import { type Tensor, add, logSoftmax, matmul, mul, neg, numTensors, oneHot, prng, randn, relu, reshape, setBackend, splitKey, sum, tanh, tensor, tidy } from '@ddopt/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGrad, grad, hessian, hvp, jacfwd, jacrev, jvp, perExampleGrads, valueAndGrad, vhp, vmap } from '../src/index.js';
import { type BatchColumn, checkBatching, checkCase, gradCases } from '../src/testing/index.js';
import { type Packed, convLoss, fixture, mlpLoss, unpackAll } from './torch-fixture.js';

// Vitest runs each file in its own worker, so switching the global backend here is local.
beforeAll(async () => {
  await setBackend('wasm');
});

describe('gradient table on wasm, float32, loosened tolerances', () => {
  for (const c of gradCases) {
    if (c.dtypes && !c.dtypes.includes('float32')) continue;
    it(c.name, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const failures = tidy(() =>
            Object.entries(checkCase(c, seed, 'float32'))
              .filter(([, r]) => !r.ok)
              .map(([check, r]) => ({ check, worst: r.worst })),
          );
          expect(failures).toEqual([]);
        }),
        { seed: 20251123, numRuns: 1 },
      );
    });
  }
});

describe('batching table on wasm, float32: every case under vmap (inAxes 0, 1, null) equals the loop over the batch', () => {
  for (const c of gradCases) {
    if (c.dtypes && !c.dtypes.includes('float32')) continue;
    for (const column of [0, 1, null] as BatchColumn[]) {
      it(`${c.name} — inAxes ${column}`, () => {
        const failures = tidy(() =>
          checkBatching(c, 20251124, column, 'float32').flatMap((report) =>
            Object.entries(report)
              .filter(([, r]) => r && !r.ok)
              .map(([check, r]) => ({ check, worst: r!.worst })),
          ),
        );
        expect(failures).toEqual([]);
      });
    }
  }
});

describe('no leaks on wasm', () => {
  // Built inside the tests: at collection time the backend is still cpu.
  function problem() {
    const [k1, k2, k3, kx] = splitKey(prng(9), 4) as ReturnType<typeof prng>[];
    const params = { w1: mul(randn(k1!, [8, 16]), 0.3), w2: mul(randn(k2!, [16, 4]), 0.3), b: randn(k3!, [4]) };
    const x = randn(kx!, [32, 8]);
    const labels = oneHot(tensor(Array.from({ length: 32 }, (_, i) => i % 4), { dtype: 'int32' }), 4);
    const loss = (p: typeof params) => neg(mul(sum(mul(labels, logSoftmax(add(matmul(relu(tanh(matmul(x, p.w1))), p.w2), p.b)))), 1 / 32));
    expect([params.w1.backend, x.backend, labels.backend]).toEqual(['wasm', 'wasm', 'wasm']);
    return { params, loss };
  }

  it('1,000 valueAndGrad steps keep the tfjs tensor count flat', () => {
    const { params, loss } = problem();
    let p = params;
    const step = () => {
      const [value, grads] = valueAndGrad(loss)(p) as [Tensor, typeof params];
      const next = tidy(() => ({ w1: add(p.w1, mul(grads.w1, -0.1)), w2: add(p.w2, mul(grads.w2, -0.1)), b: add(p.b, mul(grads.b, -0.1)) }));
      if (p !== params) for (const t of Object.values(p)) t.dispose();
      for (const t of [value, ...Object.values(grads)]) t.dispose();
      p = next;
    };
    for (let i = 0; i < 5; i++) step(); // warm-up: lazily created constants settle
    const before = numTensors();
    const probe = tensor([1, 2]);
    expect(numTensors()).toBe(before + 1); // the count does see wasm tensors
    probe.dispose();
    for (let i = 0; i < 1000; i++) step();
    expect(numTensors()).toBe(before);
  }, 120_000); // ~15 s alone; generous for a loaded machine

  it('hvp keeps the count flat too', () => {
    const { params, loss } = problem();
    const before = numTensors();
    for (let i = 0; i < 50; i++) {
      const h = hvp(loss, params, params);
      for (const t of Object.values(h)) t.dispose();
    }
    expect(numTensors()).toBe(before);
  });

  it('vmap, vmap(grad), perExampleGrads and jacobians over pytrees keep the count flat, also when f throws', () => {
    const { params, loss } = problem();
    const [k1, k2] = splitKey(prng(4), 2) as ReturnType<typeof prng>[];
    const xs = randn(k1!, [16, 8]);
    const ys = oneHot(tensor(Array.from({ length: 16 }, (_, i) => i % 4), { dtype: 'int32' }), 4);
    const one = (p: typeof params, e: { x: Tensor; y: Tensor }) => neg(sum(mul(e.y, logSoftmax(add(matmul(relu(tanh(matmul(reshape(e.x, [1, 8]), p.w1))), p.w2), p.b)))));
    const small = { a: randn(k2!, [3]), b: randn(k2!, [2, 2]) };
    const run = () => {
      const outs = [
        vmap((x: Tensor) => tanh(x))(xs),
        ...Object.values(vmap(grad(one), { inAxes: [null, 0] })(params, { x: xs, y: ys }) as Record<string, Tensor>),
        ...Object.values(perExampleGrads(one, params, { x: xs, y: ys })),
        ...Object.values(jacrev((q: typeof small) => ({ s: mul(q.a, sum(q.b)) }))(small).s as Record<string, Tensor>),
      ];
      for (const t of outs) t.dispose();
      expect(() =>
        vmap((x: Tensor) => {
          tanh(x);
          throw new Error('boom');
        })(xs),
      ).toThrow('boom');
    };
    run();
    const before = numTensors();
    for (let i = 0; i < 5; i++) run();
    expect(numTensors()).toBe(before);
    expect(loss(params).backend).toBe('wasm');
  });

  it('vhp, jvp, jacobians, hessian and checkGrad keep the count flat', () => {
    const { params, loss } = problem();
    const small = (t: Tensor) => tanh(mul(t, t));
    const t0 = tensor([0.1, 0.2, 0.3]);
    const run = () => {
      const outs: Tensor[] = [
        ...Object.values(vhp(loss, params, params)),
        ...jvp(small, [t0], [t0]),
        jacrev(small)(t0),
        jacfwd(small)(t0),
        hessian((t: Tensor) => sum(small(t)))(t0),
      ];
      for (const t of outs) t.dispose();
      checkGrad((t: Tensor) => sum(small(t)), t0, { eps: 1e-2, rtol: 1e-1, atol: 1e-2 });
    };
    run();
    const before = numTensors();
    for (let i = 0; i < 5; i++) run();
    expect(numTensors()).toBe(before);
  });
});

describe('PyTorch float64 recordings, reproduced in float32 on wasm', () => {
  function expectNear(got: Record<string, Tensor>, want: Record<string, Packed>, tol: number): void {
    for (const [name, w] of Object.entries(want)) {
      const a = got[name]!.dataSync();
      const scale = Math.max(...w.data.map(Math.abs));
      const worst = Math.max(...w.data.map((x, i) => Math.abs(a[i]! - x)));
      expect(worst / scale, name).toBeLessThan(tol);
    }
  }

  it('tanh MLP: gradient and HVP within 1e-4 of the largest entry', () => {
    const r = fixture.mlp;
    const loss = mlpLoss(r, 'float32');
    const params = unpackAll(r.params, 'float32');
    expect(params.w1!.backend).toBe('wasm');
    expectNear(valueAndGrad(loss)(params)[1], r.grad, 1e-4);
    expectNear(hvp(loss, params, unpackAll(r.v, 'float32')), r.hvp, 1e-4);
  });

  it('conv net: gradient and HVP within 1e-4 of the largest entry', () => {
    const r = fixture.conv;
    const loss = convLoss(r, 'float32');
    const params = unpackAll(r.params, 'float32');
    expectNear(valueAndGrad(loss)(params)[1], r.grad, 1e-4);
    expectNear(hvp(loss, params, unpackAll(r.v, 'float32')), r.hvp, 1e-4);
  });
});
