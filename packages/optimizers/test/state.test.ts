import { type Tensor, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import {
  type GradientTransformation,
  adagrad,
  adam,
  applyIfFinite,
  applyUpdates,
  chain,
  clipByGlobalNorm,
  cosineDecay,
  emaMoment,
  injectHyperparams,
  nadam,
  reduceOnPlateau,
  rmsprop,
  scaleByLearningRate,
  sgd,
  stateFromJSON,
  stateToJSON,
} from '../src/index.js';
import { f64, values } from './helpers.js';

// A smooth non-quadratic loss on {a: [3], b: [2, 2]}: Σ log cosh(a − 1) + ¼Σ b⁴ (gradients: tanh(a − 1), b³).
const loss = (p: { a: Tensor; b: Tensor }) =>
  values(p.a).reduce((s, x) => s + Math.log(Math.cosh(x - 1)), 0) + values(p.b).reduce((s, x) => s + x ** 4 / 4, 0);
const grad = (p: { a: Tensor; b: Tensor }, dtype: 'float32' | 'float64') => ({
  a: tensor(values(p.a).map((x) => Math.tanh(x - 1)), { dtype }),
  b: tensor(values(p.b).map((x) => x ** 3), { shape: [2, 2], dtype }),
});

function runFrom(opt: GradientTransformation<any>, params: { a: Tensor; b: Tensor }, state: unknown, steps: number, dtype: 'float32' | 'float64') {
  for (let t = 0; t < steps; t++) {
    const r = opt.update(grad(params, dtype), state, params, { loss: loss(params) });
    state = r.state;
    params = applyUpdates(params, r.updates);
  }
  return { params, state };
}

const bits = (p: { a: Tensor; b: Tensor }) => [...values(p.a), ...values(p.b)].map((x) => new Float64Array([x])[0]);

describe('stop and resume through JSON is bit-identical', () => {
  const makers: [string, () => GradientTransformation<any>][] = [
    ['adam (amsgrad)', () => adam({ lr: 0.05, amsgrad: true })],
    ['nadam (muProduct number in state)', () => nadam({ lr: 0.05 })],
    ['rmsprop centered + momentum', () => rmsprop({ lr: 0.01, centered: true, momentum: 0.5 })],
    [
      'chain: clip, injected cosine lr, applyIfFinite, reduceOnPlateau (Infinity in state)',
      () =>
        chain(
          clipByGlobalNorm(1),
          applyIfFinite(injectHyperparams((h) => sgd({ lr: h.lr, momentum: 0.9 }), { lr: cosineDecay({ init: 0.1, decaySteps: 60 }) })),
          reduceOnPlateau({ patience: 2, factor: 0.5 }),
        ),
    ],
  ];
  for (const dtype of ['float64', 'float32'] as const) {
    for (const [name, make] of makers) {
      it(`${name}, ${dtype}`, () => {
        const p0 = { a: tensor([3, -2, 0.5], { dtype }), b: tensor([[1.5, -1], [0.2, 2]], { dtype }) };
        const opt = make();
        const straight = runFrom(opt, p0, opt.init(p0), 60, dtype);
        const half = runFrom(opt, p0, opt.init(p0), 30, dtype);
        const saved = JSON.stringify(stateToJSON(half.state));
        const paramsSaved = JSON.stringify(stateToJSON(half.params));
        const resumed = runFrom(make(), stateFromJSON(JSON.parse(paramsSaved)) as never, stateFromJSON(JSON.parse(saved)), 30, dtype);
        expect(bits(resumed.params)).toEqual(bits(straight.params));
        expect(stateToJSON(resumed.state)).toEqual(stateToJSON(straight.state));
      });
    }
  }

  it('keeps dtype, shape, NaN, ±Infinity and −0 exactly', () => {
    const state = { count: 3, best: Number.POSITIVE_INFINITY, low: Number.NEGATIVE_INFINITY, z: -0, nan: Number.NaN, t: tensor([Number.NaN, -0, 1e-310, 0.1], { dtype: 'float64' }), i: tensor([[1, -2]], { dtype: 'int32' }), flag: true, none: null };
    const back = stateFromJSON(JSON.parse(JSON.stringify(stateToJSON(state)))) as typeof state;
    expect(back.best).toBe(Number.POSITIVE_INFINITY);
    expect(back.low).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(back.z, -0)).toBe(true);
    expect(back.nan).toBeNaN();
    expect(back.t.dtype).toBe('float64');
    expect(Array.from(back.t.dataSync()).map((x) => Object.is(x, -0) || x)).toEqual([Number.NaN, true, 1e-310, 0.1]);
    expect(back.i.dtype).toBe('int32');
    expect(back.i.shape).toEqual([1, 2]);
    expect(back.flag).toBe(true);
    expect(back.none).toBeNull();
  });
});

describe('applyIfFinite', () => {
  it('skips NaN/Inf steps (zero updates, inner state kept) and counts them', () => {
    const opt = applyIfFinite(adagrad({ lr: 0.1 }));
    const p = f64([1, 2]);
    let s = opt.init(p);
    s = opt.update(f64([0.5, -1]), s, p).state;
    const before = s.inner;
    const bad = opt.update(f64([Number.NaN, 1]), s, p);
    expect(values(bad.updates)).toEqual([0, 0]);
    expect(bad.state.inner).toBe(before);
    expect(bad.state).toMatchObject({ notFiniteCount: 1, totalNotFinite: 1, lastFinite: false });
    const inf = opt.update(f64([1, Number.POSITIVE_INFINITY]), bad.state, p);
    expect(inf.state).toMatchObject({ notFiniteCount: 2, totalNotFinite: 2 });
    const good = opt.update(f64([0.5, -1]), inf.state, p);
    expect(good.state).toMatchObject({ notFiniteCount: 0, totalNotFinite: 2, lastFinite: true });
    // The good step continues exactly as if the bad ones never happened.
    const ref = adagrad({ lr: 0.1 });
    let rs = ref.init(p);
    rs = ref.update(f64([0.5, -1]), rs, p).state;
    expect(values(good.updates)).toEqual(values(ref.update(f64([0.5, -1]), rs, p).updates));
  });

  it('lets a step through after maxConsecutiveErrors skips', () => {
    const opt = applyIfFinite(sgd({ lr: 1 }), { maxConsecutiveErrors: 1 });
    const p = f64([0]);
    const s1 = opt.update(f64([Number.NaN]), opt.init(p), p);
    expect(values(s1.updates)).toEqual([0]);
    const s2 = opt.update(f64([Number.NaN]), s1.state, p);
    expect(values(s2.updates)[0]).toBeNaN();
    expect(s2.state.totalNotFinite).toBe(2);
  });
});

describe('invalid options throw, naming the option and its value', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['sgd lr', () => sgd({ lr: -0.1 }), /sgd: lr .*-0\.1/],
    ['sgd momentum', () => sgd({ momentum: -1 }), /sgd: momentum .*-1/],
    ['sgd nesterov', () => sgd({ nesterov: true }), /sgd: nesterov needs momentum > 0.*momentum 0/],
    ['adam beta1', () => adam({ betas: [1, 0.999] }), /adam: betas\[0\] must be a number in \[0, 1\), got 1/],
    ['adam beta2', () => adam({ betas: [0.9, -0.5] }), /adam: betas\[1\] must be a number in \[0, 1\), got -0\.5/],
    ['adam eps', () => adam({ eps: 0 }), /adam: eps must be a finite number > 0, got 0/],
    ['adam weightDecay', () => adam({ weightDecay: -1 }), /adam: weightDecay .*-1/],
    ['rmsprop alpha', () => rmsprop({ alpha: 1.5 }), /rmsprop: alpha .*1\.5/],
    ['adagrad lrDecay', () => adagrad({ lrDecay: -0.1 }), /adagrad: lrDecay .*-0\.1/],
    ['nadam momentumDecay', () => nadam({ momentumDecay: -1 }), /nadam: momentumDecay .*-1/],
    ['scaleByLearningRate', () => scaleByLearningRate(Number.NaN), /scaleByLearningRate: lr .*NaN/],
    ['emaMoment decay', () => emaMoment({ decay: 1 }), /emaMoment: decay must be a number in \[0, 1\) or a function, got 1/],
    ['clipByGlobalNorm', () => clipByGlobalNorm(0), /clipByGlobalNorm: maxNorm .*got 0/],
  ];
  for (const [name, make, message] of cases) it(name, () => expect(make).toThrow(message));

  it('a schedule that goes negative throws at the step', () => {
    const opt = sgd({ lr: (t) => 0.1 - t });
    const p = f64([1]);
    const s = opt.update(f64([1]), opt.init(p), p).state;
    expect(() => opt.update(f64([1]), s, p)).toThrow(/sgd: lr \(schedule value\) .*-0\.9/);
  });

  it('reduceOnPlateau without extra.loss throws naming it', () => {
    const opt = reduceOnPlateau();
    expect(() => opt.update(f64([1]), opt.init(f64([1])))).toThrow(/reduceOnPlateau: pass the loss as extra\.loss/);
  });
});

describe('structure and dtype mismatches are refused naming the transform (the chain member) that met them', () => {
  it('grads vs state', () => {
    const opt = adam();
    const s = opt.init({ w: f64([1, 2]) });
    expect(() => opt.update({ w: f64([1, 2, 3]) }, s)).toThrow(/scaleByAdam: leaf 0 of .* has shape \[2\] but g has \[3\]/);
    expect(() => opt.update({ w: tensor([1, 2], { dtype: 'float32' }) }, s)).toThrow(/scaleByAdam: leaf 0 of .* is float64 but g is float32; cast explicitly/);
    expect(() => opt.update({ w: f64([1, 2]), b: f64([1]) }, s)).toThrow(/scaleByAdam: .* has 1 leaves but g has 2/);
  });

  it('a params tree without leaves gives empty updates', () => {
    const opt = adam();
    const r = opt.update({ a: [] }, opt.init({ a: [] }));
    expect(r.updates).toEqual({ a: [] });
  });
});
