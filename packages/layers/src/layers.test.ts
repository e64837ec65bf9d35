import * as T from '@ddopt/tensor';
import { add, matmul, prng, randn, relu, sum, type Tensor, tensor, transpose } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { PReLU } from './activation-layers.js';
import { erf, erfc, gelu, leakyRelu, quadratic } from './activations.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2d } from './conv.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { IdentityDense } from './identity-dense.js';
import { cnnK } from './models/cnn-k.js';
import { resnetCifar } from './models/resnet-cifar.js';
import { SumReadout, teacherStudent } from './models/teacher-student.js';
import { twoLayer } from './models/two-layer.js';
import { applyModule } from './module.js';
import { countParams } from './params.js';
import { PatchConv, patchCount } from './patch-conv.js';
import { AvgPool2d, Flatten, GlobalAvgPool } from './pool.js';
import { RandomFourierFeatures } from './random-fourier-features.js';
import { Residual } from './residual.js';
import { Sequential } from './sequential.js';

const f64 = (v: number[][]) => tensor(v, { dtype: 'float64' });
const arr = (t: Tensor) => Array.from(t.dataSync());

describe('activations', () => {
  it('leakyRelu, quadratic and gelu by closed form', () => {
    const x = f64([[-2, -0.5, 0, 1.5]]);
    expect(arr(leakyRelu(x, 0.1))).toEqual([-0.2, -0.05, 0, 1.5].map((v) => expect.closeTo(v, 14)));
    expect(arr(quadratic(x))).toEqual([4, 0.25, 0, 2.25]);
    expect(arr(gelu(f64([[0]])))).toEqual([0]);
    // Far in the left tail x·Φ(x) is tiny but not 0: erfc keeps its relative accuracy there.
    expect(gelu(f64([[-10]])).item() / (-10 * 7.61985302416053e-24)).toBeCloseTo(1, 12); // Φ(−10)
  });

  it('erf and erfc are @ddopt/tensor\'s functions, not copies', () => {
    expect(erf).toBe(T.erf);
    expect(erfc).toBe(T.erfc);
  });

  it('PReLU learns one shared slope or one per channel', () => {
    const shared = PReLU();
    const { params } = shared.init(prng(0), [3], { dtype: 'float64' });
    expect(params.alpha.shape).toEqual([]);
    expect(arr(shared.apply(params, f64([[-4, 2, -1]])))).toEqual([-1, 2, -0.25]);
    const per = PReLU({ slopes: 'perChannel', init: 0.5 });
    const p2 = per.init(prng(0), [2, 2, 2], { dtype: 'float64' }).params;
    expect(p2.alpha.shape).toEqual([2]);
    const y = per.apply({ alpha: tensor([0.5, 2], { dtype: 'float64' }) }, tensor([-1, -1, -1, -1, -1, -1, -1, 1], { shape: [1, 2, 2, 2], dtype: 'float64' }));
    expect(arr(y)).toEqual([-0.5, -0.5, -0.5, -0.5, -2, -2, -2, 1]);
  });
});

describe('Conv2d layer', () => {
  it('has O·(C/g)·KH·KW + O parameters and the PyTorch output size', () => {
    const layer = Conv2d({ filters: 8, kernelSize: [3, 5], stride: 2, padding: [1, 2], groups: 2 });
    const { params, outputShape } = layer.init(prng(0), [4, 11, 13]);
    expect(countParams(params)).toBe(8 * 2 * 3 * 5 + 8);
    expect(outputShape).toEqual([8, Math.floor((11 + 2 - 3) / 2) + 1, Math.floor((13 + 4 - 5) / 2) + 1]);
    const y = layer.apply(params, randn(prng(1), [2, 4, 11, 13]));
    expect(y.shape).toEqual([2, ...outputShape]);
  });
  it("'same' keeps the size; bad shapes are named", () => {
    expect(Conv2d({ filters: 2, kernelSize: 4, padding: 'same' }).init(prng(0), [1, 7, 6]).outputShape).toEqual([2, 7, 6]);
    expect(() => Conv2d({ filters: 3, kernelSize: 3, groups: 2 })).toThrow(/filters 3 must be divisible by groups 2/);
    expect(() => Conv2d({ filters: 2, kernelSize: 3 }).init(prng(0), [5, 5])).toThrow(/inputShape must be \[C, H, W\]/);
    expect(() => Conv2d({ filters: 2, kernelSize: 9 }).init(prng(0), [1, 5, 5])).toThrow(/Conv2d\(2\): the kernel 9×9 is larger than the padded input 5×5/);
  });
});

describe('BatchNorm', () => {
  it('normalizes batches in training and uses running statistics at inference', () => {
    const layer = BatchNorm({ momentum: 1 });
    const init = layer.init(prng(0), [2], { dtype: 'float64' });
    const x = f64([[1, 10], [3, 20], [5, 30]]);
    const tr = applyModule(layer, init.params, x, { train: true, state: init.state });
    const y = arr(tr.y);
    const s = Math.sqrt(8 / 3 + 1e-5);
    expect(y[0]).toBeCloseTo(-2 / s, 12);
    expect(y[2]).toBeCloseTo(0, 12);
    // momentum 1 stores the batch statistics, variance unbiased (n − 1).
    expect(arr(tr.state.mean)).toEqual([3, 20]);
    expect(arr(tr.state.var).map((v) => Number(v.toFixed(10)))).toEqual([4, 100]);
    const ev = applyModule(layer, init.params, f64([[3, 30]]), { train: false, state: tr.state });
    expect(arr(ev.y)[0]).toBeCloseTo(0, 12);
    expect(arr(ev.y)[1]).toBeCloseTo(10 / Math.sqrt(100 + 1e-5), 12);
    expect(() => layer.apply(init.params, x)).toThrow(/needs ctx/);
  });
});

describe('Dropout', () => {
  it('drops about rate of the values, rescales the rest, is seeded, and is the identity at inference', () => {
    const layer = Dropout({ rate: 0.25 });
    const x = tensor(new Float64Array(20000).fill(1), { shape: [100, 200], dtype: 'float64' });
    const a = arr(layer.apply({}, x, { train: true, key: prng(3), state: {} }));
    const zeros = a.filter((v) => v === 0).length;
    expect(Math.abs(zeros / 20000 - 0.25)).toBeLessThan(6 * Math.sqrt(0.1875 / 20000));
    expect(a.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-12)).toBe(true);
    expect(arr(layer.apply({}, x, { train: true, key: prng(3), state: {} }))).toEqual(a);
    expect(layer.apply({}, x, { train: false, state: {} })).toBe(x);
    expect(() => layer.apply({}, x, { train: true, state: {} })).toThrow(/needs ctx.key/);
  });
  it('Sequential splits the key so two dropouts draw different masks', () => {
    const net = Sequential([Dropout({ rate: 0.5 }), Dropout({ rate: 0.5 })]);
    const { params, state } = net.init(prng(0), [1000]);
    const x = tensor(new Float32Array(1000).fill(1), { shape: [1, 1000] });
    const y = arr(applyModule(net, params, x, { train: true, key: prng(9), state }).y);
    const kept = y.filter((v) => v !== 0).length;
    // Independent masks keep ~25%; identical masks would keep ~50%.
    expect(Math.abs(kept / 1000 - 0.25)).toBeLessThan(0.06);
  });
});

describe('Residual', () => {
  it('adds the input to the body and checks the shapes agree', () => {
    const body = Dense({ units: 3 });
    const r = Residual(body);
    const { params } = r.init(prng(0), [3], { dtype: 'float64' });
    const x = f64([[1, 2, 3]]);
    expect(arr(r.apply(params, x))).toEqual(arr(add(x, body.apply(params.body, x))));
    expect(() => Residual(Dense({ units: 4 })).init(prng(0), [3])).toThrow(/body maps \[3\] to \[4\] but the shortcut gives \[3\]/);
  });
  it('passes state through to batch norm inside', () => {
    const r = Residual(Sequential([Dense({ units: 2 }), BatchNorm()]));
    const { params, state } = r.init(prng(0), [2]);
    const out = applyModule(r, params, tensor([[1, 2], [3, 5]]), { train: true, state });
    expect(out.state.body[1].mean).not.toBe(state.body[1].mean);
  });
});

describe('IdentityDense', () => {
  it('computes σ((I + W)ᵀx) and starts at σ(x) from zero init', () => {
    const layer = IdentityDense({ activation: 'relu' });
    const { params } = layer.init(prng(0), [2], { dtype: 'float64' });
    const x = f64([[1, -2]]);
    expect(arr(layer.apply(params, x))).toEqual([1, 0]);
    const w = f64([[0.5, 1], [0.25, -1]]);
    // (I + W)ᵀx = [1 + 0.5 − 0.5, 1 − 2 + 2] = [1, 1].
    expect(arr(layer.apply({ w }, x))).toEqual([1, 1]);
  });
});

describe('PatchConv', () => {
  it('sums σ(wᵀPᵢx) over disjoint or overlapping patches', () => {
    const w = f64([[1, -1]]);
    const x = f64([[3, 1, 0, 2, 5, 5]]);
    const disjoint = PatchConv({ patchSize: 2 });
    expect(disjoint.init(prng(0), [6]).outputShape).toEqual([1]);
    // Patches (3,1) (0,2) (5,5): relu(2) + relu(−2) + relu(0) = 2.
    expect(arr(disjoint.apply({ w }, x))).toEqual([2]);
    // Stride 1: (3,1) (1,0) (0,2) (2,5) (5,5) → 2 + 1 + 0 + 0 + 0 = 3; mean 3/5.
    expect(arr(PatchConv({ patchSize: 2, stride: 1 }).apply({ w }, x))).toEqual([3]);
    expect(arr(PatchConv({ patchSize: 2, stride: 1, reduce: 'mean' }).apply({ w }, x))[0]).toBeCloseTo(0.6, 14);
    expect(patchCount(6, 2, 1)).toBe(5);
    expect(() => PatchConv({ patchSize: 4 }).init(prng(0), [6])).toThrow(/tile the input length 6/);
  });
});

describe('RandomFourierFeatures', () => {
  it('approximates the Gaussian kernel with fixed frequencies in state', () => {
    const layer = RandomFourierFeatures({ frequencies: 4000, sigma: 1.5 });
    const { params, state, outputShape } = layer.init(prng(0), [3], { dtype: 'float64' });
    expect(outputShape).toEqual([8000]);
    expect(countParams(params)).toBe(0);
    const x = f64([[0.3, -0.2, 0.5], [-0.4, 0.6, 0.1]]);
    const phi = layer.apply(params, x, { train: false, state });
    const k = arr(matmul(phi, transpose(phi)));
    const d2 = 0.7 ** 2 + 0.8 ** 2 + 0.4 ** 2;
    expect(k[0]).toBeCloseTo(1, 10);
    expect(Math.abs(k[1]! - Math.exp(-d2 / (2 * 1.5 ** 2)))).toBeLessThan(0.05);
  });
});

describe('twoLayer (Du et al.)', () => {
  it('computes (1/√k)Σ a_r σ(w_rᵀx) with a fixed ±1 second layer in state', () => {
    const model = twoLayer({ k: 50 });
    const { params, state, outputShape } = model.init(prng(0), [4], { dtype: 'float64' });
    expect(outputShape).toEqual([1]);
    expect(countParams(params)).toBe(200);
    expect(arr(state.a!).every((v) => v === 1 || v === -1)).toBe(true);
    const x = randn(prng(1), [3, 4], { dtype: 'float64' });
    const y = arr(model.apply(params, x, { train: false, state }));
    const h = arr(relu(matmul(x, transpose(params.w!))));
    const a = arr(state.a!);
    for (let i = 0; i < 3; i++) {
      let s = 0;
      for (let r = 0; r < 50; r++) s += a[r]! * h[i * 50 + r]!;
      expect(y[i]).toBeCloseTo(s / Math.sqrt(50), 12);
    }
    expect(countParams(twoLayer({ k: 50, fixedSecondLayer: false }).init(prng(0), [4]).params)).toBe(250);
  });
});

describe('model builders: parameter counts from the formulas', () => {
  it('cnnK(k): Σ 9·c_in·c_out + BatchNorm 2·c_out, then 8k·10 + 10', () => {
    const k = 2;
    const model = cnnK(k);
    const { params, outputShape } = model.init(prng(0), [3, 32, 32]);
    const widths = [3, k, 2 * k, 4 * k, 8 * k];
    let expected = 0;
    for (let i = 1; i < 5; i++) expected += 9 * widths[i - 1]! * widths[i]! + 2 * widths[i]!;
    expected += 8 * k * 10 + 10;
    expect(countParams(params)).toBe(expected);
    expect(outputShape).toEqual([10]);
    expect(cnnK(1).init(prng(0), [1, 28, 28]).outputShape).toEqual([10]);
  });

  it('cnnK forward on a small batch in training and inference mode', () => {
    const model = cnnK(1);
    const { params, state } = model.init(prng(0), [1, 12, 12]);
    const x = randn(prng(2), [3, 1, 12, 12]);
    const tr = applyModule(model, params, x, { train: true, state });
    expect(tr.y.shape).toEqual([3, 10]);
    expect(applyModule(model, params, x, { train: false, state: tr.state }).y.shape).toEqual([3, 10]);
  });

  // Stem + two 3×3 convs (with bias) per block + dense; shortcuts have no parameters.
  const resnetParams = (b: number, [w1, w2, w3]: number[]) => {
    const conv = (cin: number, cout: number) => 9 * cin * cout + cout;
    return (
      conv(3, w1!) +
      b * 2 * conv(w1!, w1!) +
      conv(w1!, w2!) + conv(w2!, w2!) + (b - 1) * 2 * conv(w2!, w2!) +
      conv(w2!, w3!) + conv(w3!, w3!) + (b - 1) * 2 * conv(w3!, w3!) +
      w3! * 10 + 10
    );
  };

  it('resnetCifar: stem + 2 convs per block + Dense, parameter-free shortcuts', () => {
    const model = resnetCifar({ blocksPerStage: 2, widths: [4, 8, 16] });
    const { params, outputShape } = model.init(prng(0), [3, 16, 16]);
    expect(countParams(params)).toBe(resnetParams(2, [4, 8, 16]));
    expect(outputShape).toEqual([10]);
  });

  it("resnetCifar's default widths 64/128/256 give the report's 2.7 M (2 blocks) and 13.6 M (9 blocks)", () => {
    const { params } = resnetCifar({ blocksPerStage: 2 }).init(prng(0), [3, 32, 32]);
    expect(countParams(params)).toBe(resnetParams(2, [64, 128, 256]));
    expect(Math.round(countParams(params) / 1e5) / 10).toBe(2.7);
    expect(Math.round(resnetParams(9, [64, 128, 256]) / 1e5) / 10).toBe(13.6);
  });

  it('resnetCifar with identityInit starts every block at the identity', () => {
    const model = resnetCifar({ blocksPerStage: 1, widths: [2, 2, 2] });
    const { params, state } = model.init(prng(0), [3, 8, 8], { dtype: 'float64' });
    // With V = 0 each block returns its shortcut: the identity, or a stride-2 subsampling at the
    // start of stages 2 and 3 (equal widths add no channels); the net is stem → 2 subsamplings → head.
    const x = randn(prng(5), [2, 3, 8, 8], { dtype: 'float64' });
    const y = applyModule(model, params, x, { state }).y;
    const stem = Conv2d({ filters: 2, kernelSize: 3, padding: 1 });
    const head = Sequential(['relu', GlobalAvgPool(), Dense({ units: 10 })]);
    const p = params as any[];
    const sub = AvgPool2d({ kernelSize: 1, stride: 2 });
    const h = sub.apply({}, sub.apply({}, stem.apply(p[0], x)));
    const expected = head.apply([{}, {}, p[p.length - 1]], h);
    expect(arr(y).map((v) => v.toFixed(12))).toEqual(arr(expected).map((v) => v.toFixed(12)));
    const bn = resnetCifar({ blocksPerStage: 1, batchNorm: true, widths: [4, 8, 8] });
    expect(bn.init(prng(0), [3, 32, 32]).outputShape).toEqual([10]);
  });

  it('teacherStudent draws independent parameters and scales the teacher', () => {
    const model = Sequential([IdentityDense(), SumReadout()]);
    const { teacher, student } = teacherStudent(model, { key: prng(0), inputShape: [5], teacherScale: 0.5 });
    expect(teacher.outputShape).toEqual([1]);
    expect(countParams(student.params)).toBe(25);
    const ts = teacherStudent(Sequential([Dense({ units: 3 }), SumReadout()]), { key: prng(1), inputShape: [2], teacherScale: 2 });
    const unscaled = teacherStudent(Sequential([Dense({ units: 3 }), SumReadout()]), { key: prng(1), inputShape: [2] });
    expect(arr(ts.teacher.params[0].w)).toEqual(arr(unscaled.teacher.params[0].w).map((v) => 2 * v));
    expect(arr(ts.student.params[0].w)).toEqual(arr(unscaled.student.params[0].w));
    expect(arr(ts.student.params[0].w)).not.toEqual(arr(unscaled.teacher.params[0].w));
  });
});

describe('Flatten and sums', () => {
  it('Flatten keeps the batch axis', () => {
    const f = Flatten();
    expect(f.init(prng(0), [2, 3, 4]).outputShape).toEqual([24]);
    expect(f.apply({}, randn(prng(0), [5, 2, 3, 4])).shape).toEqual([5, 24]);
    expect(sum(f.apply({}, tensor([[[1, 2], [3, 4]]]))).item()).toBe(10);
  });
});
