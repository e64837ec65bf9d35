// Forward outputs against PyTorch 1.13 (fixtures/record_torch_layers.py → fixtures/torch_layers.json).
import { readFileSync } from 'node:fs';
import { prng, type Tensor, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { gelu } from './activations.js';
import { BatchNorm } from './batch-norm.js';
import { Conv1d, Conv2d } from './conv.js';
import { applyModule } from './module.js';
import { AvgPool2d, MaxPool2d } from './pool.js';

interface Arr {
  shape: number[];
  values: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch_layers.json', import.meta.url), 'utf8'));
const t64 = (a: Arr): Tensor => tensor(Float64Array.from(a.values), { shape: a.shape, dtype: 'float64' });

function expectClose(got: Tensor, want: Arr, tol = 1e-12): void {
  expect(got.shape).toEqual(want.shape);
  const g = got.dataSync();
  let worst = 0;
  want.values.forEach((w, i) => {
    worst = Math.max(worst, Math.abs(g[i]! - w) / (1 + Math.abs(w)));
  });
  expect(worst).toBeLessThan(tol);
}

describe('Conv2d matches torch.nn.functional.conv2d', () => {
  for (const c of fixture.conv2d) {
    it(c.name, () => {
      const [o, , kh, kw] = c.w.shape;
      const layer = Conv2d({ filters: o, kernelSize: [kh, kw], stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups });
      const init = layer.init(prng(0), c.x.shape.slice(1), { dtype: 'float64' });
      expect(init.params.w.shape).toEqual(c.w.shape);
      expect(init.outputShape).toEqual(c.y.shape.slice(1));
      expectClose(layer.apply({ w: t64(c.w), b: t64(c.b) }, t64(c.x)), c.y);
    });
  }
});

describe('Conv1d matches torch.nn.functional.conv1d', () => {
  for (const c of fixture.conv1d) {
    it(c.name, () => {
      const [o, , k] = c.w.shape;
      const layer = Conv1d({ filters: o, kernelSize: k, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups });
      const init = layer.init(prng(0), c.x.shape.slice(1), { dtype: 'float64' });
      expect(init.outputShape).toEqual(c.y.shape.slice(1));
      expectClose(layer.apply({ w: t64(c.w), b: t64(c.b) }, t64(c.x)), c.y);
    });
  }
});

describe('pooling matches torch max_pool2d / avg_pool2d', () => {
  for (const c of fixture.pool) {
    it(c.name, () => {
      const opts = { kernelSize: c.kernel_size, stride: c.stride, padding: c.padding };
      const layer = c.kind === 'max' ? MaxPool2d(opts) : AvgPool2d(opts);
      expect(layer.init(prng(0), c.x.shape.slice(1)).outputShape).toEqual(c.y.shape.slice(1));
      expectClose(layer.apply({}, t64(c.x)), c.y);
    });
  }
});

describe('BatchNorm matches torch BatchNorm1d/2d in training and inference', () => {
  for (const c of fixture.batchNorm) {
    it(c.name, () => {
      const layer = BatchNorm({ momentum: c.momentum, eps: c.eps });
      const init = layer.init(prng(0), c.x1.shape.slice(1), { dtype: 'float64' });
      const params = { gamma: t64(c.gamma), beta: t64(c.beta) };
      const s1 = applyModule(layer, params, t64(c.x1), { train: true, state: init.state });
      expectClose(s1.y, c.y1);
      const s2 = applyModule(layer, params, t64(c.x2), { train: true, state: s1.state });
      expectClose(s2.y, c.y2);
      expectClose(s2.state.mean, c.runningMean);
      expectClose(s2.state.var, c.runningVar);
      const ev = applyModule(layer, params, t64(c.x1), { train: false, state: s2.state });
      expectClose(ev.y, c.yEval);
      // Inference leaves the statistics alone; the initial state was not mutated by training.
      expect(ev.state).toBe(s2.state);
      expect(Array.from(init.state.mean.dataSync())).toEqual([0, 0, 0]);
    });
  }
});

describe('gelu matches torch', () => {
  it('exact (tensor erfc) and tanh forms', () => {
    const x = t64(fixture.gelu.x);
    expectClose(gelu(x), fixture.gelu.exact, 1e-15);
    expectClose(gelu(x, { approximate: 'tanh' }), fixture.gelu.tanh, 1e-12);
  });
});
