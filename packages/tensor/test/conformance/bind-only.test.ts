// Composite ops must reach a backend only through `bind`, so that @ddopt/autograd (which
// pushes a bind hook) sees every primitive. A spying backend counts kernel runs; a hook
// counts binds; for every op the two counts must agree and the values must match the
// hook-free run.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Backend, initBackend, registerBackend } from '../../src/backend.js';
import { createCpuBackend } from '../../src/backends/cpu/index.js';
import { tensor } from '../../src/creation.js';
import { withBindHook } from '../../src/dispatch.js';
import * as Pkg from '../../src/index.js';
import * as T from '../../src/ops/index.js';
import type { Tensor } from '../../src/tensor.js';
import { random } from './reference.js';

let runs = 0;
registerBackend('cpu-spy', () => {
  const inner = createCpuBackend();
  const spy: Backend = {
    ...inner,
    name: 'cpu-spy',
    run(p, inputs, attrs, out) {
      runs++;
      return inner.run(p, inputs, attrs, out);
    },
  };
  return spy;
});

const x = (shape: number[], seed = 1, lo = -2, hi = 2) => tensor(random(seed, shape, lo, hi).data, { shape, dtype: 'float64', backend: 'cpu-spy' });
const idx = (values: number[]) => tensor(values, { dtype: 'int32', backend: 'cpu-spy' });

const CALLS: Record<string, () => Tensor | Tensor[]> = {
  add: () => T.add(x([2, 3]), x([3])),
  sub: () => T.sub(x([2, 3]), 1),
  mul: () => T.mul(2, x([2, 3])),
  div: () => T.div(x([2, 3]), x([2, 1], 2, 1, 2)),
  pow: () => T.pow(x([3], 1, 0.5, 2), 2),
  maximum: () => T.maximum(x([2, 3]), 0),
  minimum: () => T.minimum(x([2, 3]), 0),
  neg: () => T.neg(x([3])),
  abs: () => T.abs(x([3])),
  sign: () => T.sign(x([3])),
  exp: () => T.exp(x([3])),
  log: () => T.log(x([3], 1, 0.5, 2)),
  log1p: () => T.log1p(x([3], 1, 0, 2)),
  expm1: () => T.expm1(x([3])),
  sqrt: () => T.sqrt(x([3], 1, 0, 2)),
  square: () => T.square(x([3])),
  reciprocal: () => T.reciprocal(x([3], 1, 1, 2)),
  sin: () => T.sin(x([3])),
  cos: () => T.cos(x([3])),
  tanh: () => T.tanh(x([3])),
  sigmoid: () => T.sigmoid(x([3])),
  relu: () => T.relu(x([3])),
  softplus: () => T.softplus(x([3])),
  clip: () => T.clip(x([4]), -1, 1),
  cast: () => T.cast(x([3]), 'int32'),
  equal: () => T.equal(x([2, 3]), x([3])),
  notEqual: () => T.notEqual(x([2, 3]), 0),
  greater: () => T.greater(x([2, 3]), 0),
  greaterEqual: () => T.greaterEqual(x([2, 3]), 0),
  less: () => T.less(x([2, 3]), 0),
  lessEqual: () => T.lessEqual(x([2, 3]), 0),
  where: () => T.where(T.greater(x([2, 1]), 0), x([3]), 0),
  sum: () => T.sum(x([2, 3]), { axis: 1, keepdims: true }),
  mean: () => T.mean(x([2, 3]), { axis: 0 }),
  max: () => T.max(x([2, 3]), { axis: -1 }),
  min: () => T.min(x([2, 3])),
  prod: () => T.prod(x([2, 3]), { axis: 0 }),
  logSumExp: () => T.logSumExp(x([2, 3]), { axis: 1 }),
  argmax: () => T.argmax(x([2, 3]), { axis: 1 }),
  argmin: () => T.argmin(x([2, 3])),
  matmul: () => T.matmul(x([2, 2, 3]), x([3])),
  dot: () => T.dot(x([3]), x([3], 2)),
  outer: () => T.outer(x([3]), x([2])),
  transpose: () => T.transpose(x([2, 3])),
  reshape: () => T.reshape(x([2, 3]), [3, -1]),
  expandDims: () => T.expandDims(x([2, 3]), -1),
  squeeze: () => T.squeeze(x([1, 3])),
  broadcastTo: () => T.broadcastTo(x([3]), [2, 3]),
  flip: () => T.flip(x([2, 3])),
  tile: () => T.tile(x([2]), [2, 2]),
  cumsum: () => T.cumsum(x([2, 3]), 1, { reverse: true }),
  slice: () => T.slice(x([3, 3]), [1, 0], [1, -1]),
  concat: () => T.concat([x([2]), x([3])]),
  stack: () => T.stack([x([2]), x([2], 2)], 1),
  split: () => T.split(x([4]), 2),
  gather: () => T.gather(x([4]), idx([3, 0])),
  pad: () => T.pad(x([2]), [[1, 2]], 7),
  oneHot: () => T.oneHot(idx([0, 2]), 3),
  softmax: () => T.softmax(x([2, 3])),
  logSoftmax: () => T.logSoftmax(x([2, 3]), 0),
  conv1d: () => T.conv1d(x([1, 2, 5]), x([2, 1, 3]), { groups: 2, padding: 'same' }),
  conv2d: () => T.conv2d(x([1, 2, 5, 5]), x([3, 2, 3, 3]), { stride: 2, padding: 1 }),
  convTranspose2d: () => T.convTranspose2d(x([1, 2, 3, 3]), x([2, 2, 3, 3]), { stride: 2, padding: 1, outputPadding: 1 }),
  maxPool2d: () => T.maxPool2d(x([1, 1, 5, 5]), { kernelSize: 3, stride: 2, padding: 1 }),
  avgPool2d: () => T.avgPool2d(x([1, 1, 5, 5]), { kernelSize: 2 }),
};

const values = (out: Tensor | Tensor[]) => (Array.isArray(out) ? out : [out]).map((t) => Array.from(t.dataSync()));

describe('composite ops run primitives only through bind', () => {
  beforeAll(async () => {
    await initBackend('cpu-spy');
  });
  it('every op of the API contract is exported from the package entry', () => {
    const missing = Object.keys(CALLS).filter((name) => typeof (Pkg as Record<string, unknown>)[name] !== 'function');
    expect(missing).toEqual([]);
  });

  for (const [name, call] of Object.entries(CALLS)) {
    it(name, () => {
      const plain = values(call());
      let binds = 0;
      runs = 0;
      const hooked = withBindHook((p, inputs, attrs, next) => {
        binds++;
        return next(p, inputs, attrs);
      }, call);
      expect(binds).toBeGreaterThan(0);
      expect(runs).toBe(binds);
      expect(values(hooked)).toEqual(plain);
    });
  }
});
