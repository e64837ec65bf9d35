// Every layer's gradient (w.r.t. its parameters and its input) against float64 central differences.
import { checkGrad, hessian, valueAndGrad } from '@ddopt/autograd';
import { type Key, mul, prng, randn, splitKey, sum, type Tensor, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { PReLU } from './activation-layers.js';
import { gelu, leakyRelu, quadratic, sigmoid, softplus, tanh } from './activations.js';
import { BatchNorm } from './batch-norm.js';
import { Conv1d, Conv2d } from './conv.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { IdentityDense } from './identity-dense.js';
import { binaryCrossEntropy, mse, softmaxCrossEntropy } from './losses.js';
import { cnnK } from './models/cnn-k.js';
import { mlp } from './models/mlp.js';
import { resnetCifar } from './models/resnet-cifar.js';
import { twoLayer } from './models/two-layer.js';
import { applyModule, type Module } from './module.js';
import { PatchConv } from './patch-conv.js';
import { AvgPool2d, Flatten, GlobalAvgPool, GlobalMaxPool, MaxPool2d } from './pool.js';
import { RandomFourierFeatures } from './random-fourier-features.js';
import { Residual } from './residual.js';
import { Sequential } from './sequential.js';

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
  check('Dense', Dense({ units: 3 }), [4]);
  check('Dense without bias', Dense({ units: 2, bias: false }), [3]);
  check('mlp relu', mlp([5, 3], 'relu'), [3]);
  check('mlp tanh', mlp([5, 3], 'tanh'), [3]);
  check('identity and softplus layers by name', Sequential([Dense({ units: 3 }), 'identity', 'softplus']), [2]);
  check('mlp sigmoid/softplus', Sequential([Dense({ units: 4 }), sigmoid, Dense({ units: 3 }), softplus]), [2]);
  check('leakyRelu and quadratic', Sequential([Dense({ units: 4 }), (x) => leakyRelu(x, 0.2), Dense({ units: 2 }), quadratic]), [3]);
  check('gelu exact', Sequential([Dense({ units: 4 }), (x) => gelu(x)]), [3]);
  check('gelu tanh', Sequential([Dense({ units: 4 }), (x) => gelu(x, { approximate: 'tanh' })]), [3]);
  check('tanh', Sequential([Dense({ units: 3 }), tanh]), [2]);
  check('PReLU shared', Sequential([Dense({ units: 4 }), PReLU()]), [3]);
  check('PReLU per channel', Sequential([Conv2d({ filters: 2, kernelSize: 2 }), PReLU({ slopes: 'perChannel' })]), [1, 3, 3]);
  check('Conv2d stride/padding/dilation', Conv2d({ filters: 2, kernelSize: 3, stride: 2, padding: 2, dilation: 2 }), [2, 5, 5]);
  check('Conv2d groups', Conv2d({ filters: 4, kernelSize: 2, groups: 2 }), [2, 3, 3]);
  check('Conv1d', Conv1d({ filters: 3, kernelSize: 3, stride: 2, padding: 1 }), [2, 7]);
  check('MaxPool2d', Sequential([Conv2d({ filters: 1, kernelSize: 1 }), MaxPool2d({ kernelSize: 2 })]), [1, 4, 4]);
  check('AvgPool2d padded', Sequential([Conv2d({ filters: 1, kernelSize: 1 }), AvgPool2d({ kernelSize: 3, stride: 2, padding: 1 })]), [1, 5, 5]);
  check('GlobalAvgPool + Flatten', Sequential([Conv2d({ filters: 2, kernelSize: 2 }), GlobalAvgPool(), Flatten()]), [1, 3, 3]);
  check('GlobalMaxPool', Sequential([Conv2d({ filters: 2, kernelSize: 2 }), GlobalMaxPool()]), [1, 3, 3]);
  check('BatchNorm training', Sequential([Dense({ units: 3 }), BatchNorm()]), [2], { batch: 4, train: true });
  check('BatchNorm 2d training', Sequential([Conv2d({ filters: 2, kernelSize: 2 }), BatchNorm()]), [1, 3, 3], { train: true });
  check('BatchNorm inference', BatchNorm(), [3], { batch: 3 });
  check('Dropout (fixed key)', Sequential([Dense({ units: 6 }), Dropout({ rate: 0.5 })]), [3], { train: true, key: prng(1) });
  check('Residual', Residual(Sequential([Dense({ units: 3 }), tanh, Dense({ units: 3 })])), [3]);
  check('IdentityDense', IdentityDense({ activation: 'tanh', init: (k, s, o) => mul(randn(k, s, { dtype: o?.dtype }), 0.3) }), [3]);
  check('PatchConv overlapping', PatchConv({ patchSize: 3, stride: 1, activation: 'softplus', filters: 2 }), [6]);
  check('PatchConv disjoint mean', PatchConv({ patchSize: 2, reduce: 'mean', activation: 'tanh' }), [6]);
  check('RandomFourierFeatures', Sequential([RandomFourierFeatures({ frequencies: 3 }), Dense({ units: 2 })]), [2]);
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
  it('binaryCrossEntropy has the closed-form Hessian diag(σ(z)(1 − σ(z))), 1/4 at z = 0', () => {
    const z = [-2, 0, 0, 3];
    const sigma = (t: number) => 1 / (1 + Math.exp(-t));
    const y = tensor([0, 1, 0.5, 1], { dtype: 'float64' });
    const h = hessian((t: Tensor) => binaryCrossEntropy(t, y, { reduction: 'sum' }))(tensor(z, { dtype: 'float64' })).toArray() as number[][];
    for (let i = 0; i < z.length; i++) for (let j = 0; j < z.length; j++) expect(h[i]![j]).toBeCloseTo(i === j ? sigma(z[i]!) * (1 - sigma(z[i]!)) : 0, 15);
  });
  it('softmaxCrossEntropy with int labels', () => {
    const labels = tensor([0, 3, 1], { dtype: 'int32' });
    expect(checkGrad((z: Tensor) => softmaxCrossEntropy(z, labels, { reduction: 'sum' }), logits, TOL).ok).toBe(true);
  });
});

describe('stateful layers under valueAndGrad', () => {
  it('batch-norm state comes out through hasAux and equals a plain forward pass', () => {
    const net = Sequential([Dense({ units: 3 }), BatchNorm()]);
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
