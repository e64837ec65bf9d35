import { type Tensor, add, conv2d, logSoftmax, matmul, mean, mul, neg, oneHot, reshape, sum, tanh, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { type AdahessianOptions, adahessian, scaleByAdahessian } from '../src/index.js';
import { fixture, flatValues, relErr } from './fixture.js';

const ah = fixture.adahessian as {
  x: number[][][][];
  labels: number[];
  init: Record<'convW' | 'convB' | 'fcW' | 'fcB', unknown>;
  probes: Record<string, unknown>[];
  runs: { options: AdahessianOptions; steps: { loss: number; params: Record<string, number[]> }[] }[];
};
type Net = Record<'convW' | 'convB' | 'fcW' | 'fcB', Tensor>;
const f64 = (v: unknown) => tensor(v as number[], { dtype: 'float64' });
const x = f64(ah.x);
const target = oneHot(tensor(ah.labels, { dtype: 'int32' }), 3, 'float64');
/** tanh(conv2d(x, W) + b) flattened, then a dense layer and mean softmax cross-entropy: the recording script's net. */
const loss = (p: Net): Tensor => {
  const h = tanh(add(conv2d(x, p.convW), reshape(p.convB, [1, 2, 1, 1])));
  const out = add(matmul(reshape(h, [4, 18]), p.fcW), p.fcB);
  return neg(mean(sum(mul(logSoftmax(out, -1), target), { axis: 1 })));
};
const init = (): Net => ({ convW: f64(ah.init.convW), convB: f64(ah.init.convB), fcW: f64(ah.init.fcW), fcB: f64(ah.init.fcB) });
const probe = (step: number) => Object.fromEntries(Object.entries(ah.probes[step]!).map(([k, v]) => [k, f64(v)]));

describe("adahessian reproduces a torch implementation of the reference update (conv net, float64, 8 steps, the recorded probes)", () => {
  for (const run of ah.runs) {
    it(JSON.stringify(run.options), () => {
      const opt = adahessian({ ...run.options, probe });
      let params = init();
      let state = opt.init(params);
      for (const [i, want] of run.steps.entries()) {
        const r = opt.step(loss, params, state);
        expect(Math.abs(r.loss - want.loss)).toBeLessThan(1e-13);
        expect(r.cost).toEqual({ evaluations: 0, gradients: 0, products: 1 });
        params = r.params;
        state = r.state;
        expect(relErr(flatValues(params), Object.values(want.params).flat()), `step ${i + 1}`).toBeLessThan(1e-12);
      }
    });
  }

  it('the 4-D kernel gets one D per (out, in) channel pair: the diagonal is constant over the 3×3 window', () => {
    const opt = adahessian({ probe });
    const r = opt.step(loss, init(), opt.init(init()));
    const d = (r.state.diagonal as Net).convW.toArray() as number[][][][];
    for (const plane of d.flat()) for (const row of plane) for (const v of row) expect(v).toBe(plane[0]![0]);
  });
});

describe('adahessian options and the scaleByAdahessian transform', () => {
  it('updateEvery reuses D in between: products alternate with plain gradients', () => {
    const opt = adahessian({ updateEvery: 2, seed: 3 });
    let params = init();
    let state = opt.init(params);
    const products: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = opt.step(loss, params, state);
      products.push(r.cost.products);
      params = r.params;
      state = r.state;
    }
    expect(products).toEqual([1, 0, 1, 0]);
  });

  it('the same seed gives the same run; another seed another', () => {
    const go = (seed: number) => {
      const opt = adahessian({ seed });
      return flatValues(opt.step(loss, init(), opt.init(init())).params);
    };
    expect(go(5)).toEqual(go(5));
    expect(go(5)).not.toEqual(go(6));
  });

  it('errors name the function: a missing diagonal, a probe of the wrong structure, unknown options', () => {
    const t = scaleByAdahessian();
    const g = { w: f64([1, 2]) };
    expect(() => t.update(g, t.init(g), g)).toThrow(/scaleByAdahessian: update needs extra.hessianDiagonal/);
    const opt = adahessian({ probe: () => ({ convW: f64([1]) }) });
    expect(() => opt.step(loss, init(), opt.init(init()))).toThrow(/adahessian: probe\(step, params\) must have the structure of the params/);
    expect(() => adahessian({ hessian_power: 1 } as never)).toThrow(/adahessian: unknown option "hessian_power" \(did you mean "hessianPower"\?\)/);
    expect(() => adahessian({ betas: [0.9, 1] })).toThrow(/adahessian: betas\[1\] must be a number in \[0, 1\), got 1/);
  });
});
