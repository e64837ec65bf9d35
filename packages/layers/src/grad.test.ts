// Every layer's gradient (w.r.t. its parameters and its input) against float64 central differences.
import { checkGrad, valueAndGrad } from '@ddopt/autograd';
import { type Key, mul, prng, randn, splitKey, sum, type Tensor, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { prelu } from './activationLayers.js';
import { gelu, leakyRelu, quadratic, sigmoid, softplus, tanh } from './activations.js';
import { batchNorm } from './batchNorm.js';
import { conv1d, conv2d } from './conv.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { identityDense } from './identityDense.js';
import { binaryCrossEntropy, mse, softmaxCrossEntropy } from './losses.js';
import { cnnK } from './models/cnnK.js';
import { mlp } from './models/mlp.js';
import { resnetCifar } from './models/resnetCifar.js';
import { twoLayer } from './models/twoLayer.js';
import { applyModule, type Module } from './module.js';
import { patchConv } from './patchConv.js';
import { avgPool2d, flatten, globalAvgPool, globalMaxPool, maxPool2d } from './pool.js';
import { randomFourierFeatures } from './randomFourierFeatures.js';
import { residual } from './residual.js';
import { sequential } from './sequential.js';

const TOL = { eps: 1e-6, rtol: 1e-5, atol: 1e-7 };

// Checks d/d(params, x) of ⟨r, apply(params, x)⟩ for a random r, in float64.
// `inputOnly` differentiates w.r.t. x alone, for models whose layers are each checked above.
function check(name: string, layer: Module, inputShape: number[], options: { batch?: number; train?: boolean; key?: Key; inputOnly?: boolean } = {}): void {
  it(name, () => {
    const [ki, kx, kr] = splitKey(prng(name.length * 7919 + 17), 3) as [Key, Key, Key];
    const { params, state, outputShape } = layer.init(ki, inputShape, { dtype: 'float64' });
    const batch = options.batch ?? 2;
    const x = randn(kx, [batch, ...inputShape], { dtype: 'float64' });
    const r = randn(kr, [batch, ...outputShape], { dtype: 'float64' });
    const out = (p: unknown, v: Tensor) => sum(mul(layer.apply(p, v, { train: options.train ?? false, key: options.key, state }), r));
    const res = options.inputOnly ? checkGrad((v: Tensor) => out(params, v), x, TOL) : checkGrad((p: { params: unknown; x: Tensor }) => out(p.params, p.x), { params, x }, TOL);
    expect(res.ok ? true : res).toBe(true);
  }, 30_000);
}

describe('gradients of every layer pass checkGrad in float64', () => {
  check('dense', dense({ units: 3 }), [4]);
  check('dense without bias', dense({ units: 2, bias: false }), [3]);
  check('mlp relu', mlp([5, 3], 'relu'), [3]);
  check('mlp tanh', mlp([5, 3], 'tanh'), [3]);
  check('identity and softplus layers by name', sequential([dense({ units: 3 }), 'identity', 'softplus']), [2]);
  check('mlp sigmoid/softplus', sequential([dense({ units: 4 }), sigmoid, dense({ units: 3 }), softplus]), [2]);
  check('leakyRelu and quadratic', sequential([dense({ units: 4 }), (x) => leakyRelu(x, 0.2), dense({ units: 2 }), quadratic]), [3]);
  check('gelu exact', sequential([dense({ units: 4 }), (x) => gelu(x)]), [3]);
  check('gelu tanh', sequential([dense({ units: 4 }), (x) => gelu(x, { approximate: 'tanh' })]), [3]);
  check('tanh', sequential([dense({ units: 3 }), tanh]), [2]);
  check('prelu shared', sequential([dense({ units: 4 }), prelu()]), [3]);
  check('prelu per channel', sequential([conv2d({ filters: 2, kernelSize: 2 }), prelu({ slopes: 'perChannel' })]), [1, 3, 3]);
  check('conv2d stride/padding/dilation', conv2d({ filters: 2, kernelSize: 3, stride: 2, padding: 2, dilation: 2 }), [2, 5, 5]);
  check('conv2d groups', conv2d({ filters: 4, kernelSize: 2, groups: 2 }), [2, 3, 3]);
  check('conv1d', conv1d({ filters: 3, kernelSize: 3, stride: 2, padding: 1 }), [2, 7]);
  check('maxPool2d', sequential([conv2d({ filters: 1, kernelSize: 1 }), maxPool2d({ kernelSize: 2 })]), [1, 4, 4]);
  check('avgPool2d padded', sequential([conv2d({ filters: 1, kernelSize: 1 }), avgPool2d({ kernelSize: 3, stride: 2, padding: 1 })]), [1, 5, 5]);
  check('globalAvgPool + flatten', sequential([conv2d({ filters: 2, kernelSize: 2 }), globalAvgPool(), flatten()]), [1, 3, 3]);
  check('globalMaxPool', sequential([conv2d({ filters: 2, kernelSize: 2 }), globalMaxPool()]), [1, 3, 3]);
  check('batchNorm training', sequential([dense({ units: 3 }), batchNorm()]), [2], { batch: 4, train: true });
  check('batchNorm 2d training', sequential([conv2d({ filters: 2, kernelSize: 2 }), batchNorm()]), [1, 3, 3], { train: true });
  check('batchNorm inference', batchNorm(), [3], { batch: 3 });
  check('dropout (fixed key)', sequential([dense({ units: 6 }), dropout({ rate: 0.5 })]), [3], { train: true, key: prng(1) });
  check('residual', residual(sequential([dense({ units: 3 }), tanh, dense({ units: 3 })])), [3]);
  check('identityDense', identityDense({ activation: 'tanh', init: (k, s, o) => mul(randn(k, s, { dtype: o?.dtype }), 0.3) }), [3]);
  check('patchConv overlapping', patchConv({ patchSize: 3, stride: 1, activation: 'softplus', filters: 2 }), [6]);
  check('patchConv disjoint mean', patchConv({ patchSize: 2, reduce: 'mean', activation: 'tanh' }), [6]);
  check('randomFourierFeatures', sequential([randomFourierFeatures({ frequencies: 3 }), dense({ units: 2 })]), [2]);
  check('twoLayer', twoLayer({ k: 4, activation: 'softplus' }), [3]);
  check('twoLayer trainable a', twoLayer({ k: 4, activation: 'tanh', fixedSecondLayer: false }), [3]);
  check('cnnK(1) w.r.t. its input', cnnK(1, { numClasses: 3 }), [1, 4, 4], { train: true, batch: 2, inputOnly: true });
  check('resnetCifar w.r.t. its input', resnetCifar({ blocksPerStage: 1, widths: [2, 2, 3], numClasses: 2, identityInit: false, batchNorm: true }), [1, 4, 4], { train: true, inputOnly: true });
});

describe('losses pass checkGrad in float64', () => {
  const [k1, k2] = splitKey(prng(3), 2) as [Key, Key];
  const logits = randn(k1, [3, 4], { dtype: 'float64' });
  const target = randn(k2, [3, 4], { dtype: 'float64' });
  it('mse', () => expect(checkGrad((z: Tensor) => mse(z, target), logits, TOL).ok).toBe(true));
  it('binaryCrossEntropy', () => {
    const y = tensor([[0, 1, 1, 0], [1, 0, 0, 1], [0.5, 0.2, 1, 0]], { dtype: 'float64' });
    expect(checkGrad((z: Tensor) => binaryCrossEntropy(z, y), logits, TOL).ok).toBe(true);
  });
  it('softmaxCrossEntropy with int labels', () => {
    const labels = tensor([0, 3, 1], { dtype: 'int32' });
    expect(checkGrad((z: Tensor) => softmaxCrossEntropy(z, labels, { reduction: 'sum' }), logits, TOL).ok).toBe(true);
  });
});

describe('stateful layers under valueAndGrad', () => {
  it('batch-norm state comes out through hasAux and equals a plain forward pass', () => {
    const net = sequential([dense({ units: 3 }), batchNorm()]);
    const { params, state } = net.init(prng(0), [2], { dtype: 'float64' });
    const x = randn(prng(1), [5, 2], { dtype: 'float64' });
    const y = randn(prng(2), [5, 3], { dtype: 'float64' });
    const [[loss, newState]] = valueAndGrad(
      (p: unknown) => {
        const r = applyModule(net, p as typeof params, x, { train: true, state });
        return [mse(r.y, y), r.state];
      },
      { hasAux: true },
    )(params);
    const plain = applyModule(net, params, x, { train: true, state });
    expect(loss.item()).toBeCloseTo(mse(plain.y, y).item(), 12);
    expect(Array.from(newState[1].mean.dataSync())).toEqual(Array.from(plain.state[1].mean.dataSync()));
    expect(Array.from(newState[1].var.dataSync())).toEqual(Array.from(plain.state[1].var.dataSync()));
  });
});
