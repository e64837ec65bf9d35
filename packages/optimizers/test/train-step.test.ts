import { type Tensor, mul, sub, sum, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { type GradientTransformation, adam, evalPoint, fit, seedNag, sgd, trainStep } from '../src/index.js';
import { f64, maxDiff, values } from './helpers.js';

// f(w) = ½ Σ λᵢ (wᵢ − cᵢ)²: GD with step α gives wₜ = c + (1 − αλ)ᵗ(w₀ − c) and f(wₜ) = ½ Σ λ(1 − αλ)²ᵗ(w₀ − c)².
const lambda = [1, 4, 0.25];
const c = [1, -2, 3];
const w0 = [0, 0, 0];
const lam = f64(lambda);
const target = f64(c);
const loss = (p: { w: Tensor }) => {
  const d = sub(p.w, target);
  return mul(sum(mul(mul(d, d), lam)), 0.5);
};
const alpha = 0.3;
const wAt = (t: number) => c.map((ci, i) => ci + (1 - alpha * lambda[i]!) ** t * (w0[i]! - ci));
const fAt = (t: number) => lambda.reduce((s, l, i) => s + 0.5 * l * (1 - alpha * l) ** (2 * t) * (w0[i]! - c[i]!) ** 2, 0);

describe('trainStep and fit on cpu float64', () => {
  it('fit follows the closed-form GD trajectory on a quadratic; losses are f(wₜ) before each step', () => {
    const seen: number[][] = [];
    const r = fit(loss, sgd({ lr: alpha }), { w: f64(w0) }, { steps: 25, onStep: ({ step, params }) => seen.push([step, ...values(params.w)]) });
    expect(r.losses.length).toBe(25);
    for (const [t, l] of r.losses.entries()) expect(Math.abs(l - fAt(t))).toBeLessThan(1e-13 * fAt(0));
    for (const [step, ...w] of seen) expect(maxDiff(w, wAt(step! + 1))).toBeLessThan(1e-14);
    expect(maxDiff(values(r.params.w), wAt(25))).toBeLessThan(1e-14);
    expect(r.state).toEqual([{}, { count: 25 }]); // chain(addDecayedWeights, scaleByLearningRate)
  });

  it('trainStep takes the gradient at evalPoint (a look-ahead), and its result can be passed back', () => {
    const nag = seedNag({ lr: 0.1, beta1: 0.9 });
    let cur = { params: { w: f64(w0) }, state: nag.init({ w: f64(w0) }) };
    for (let t = 0; t < 5; t++) {
      const z = evalPoint(nag, cur.params, cur.state) as { w: Tensor };
      const want = nag.update({ w: mul(sub(z.w, target), lam) }, cur.state, cur.params);
      const u = values((want.updates as { w: Tensor }).w);
      const wantW = values(cur.params.w).map((w, i) => w + u[i]!);
      const next = trainStep(loss, nag, cur);
      expect(next.loss).toBe(loss(z).item());
      expect(maxDiff(values(next.params.w), wantW)).toBeLessThan(1e-15);
      cur = next;
    }
  });

  it('passes { loss, ...extra } to update; fit resumes from a given state exactly', () => {
    const extras: unknown[] = [];
    const spy: GradientTransformation<Record<string, never>> = {
      init: () => ({}),
      update: (g, s, _p, extra) => {
        extras.push(extra);
        return { updates: g, state: s };
      },
    };
    const p = { w: f64([2, 0, 0]) };
    trainStep(loss, spy, { params: p, state: {} }, { protect: new Set([p.w]) }); // p stays usable
    trainStep(loss, spy, { params: p, state: {} }, { extra: { loss: 7, batch: 3 } });
    expect(extras).toEqual([{ loss: 9.625 }, { loss: 7, batch: 3 }]); // ½(1·1² + 4·4² + ¼·3²)

    const straight = fit(loss, adam({ lr: 0.05 }), { w: f64(w0) }, { steps: 20 });
    const half = fit(loss, adam({ lr: 0.05 }), { w: f64(w0) }, { steps: 10 });
    const rest = fit(loss, adam({ lr: 0.05 }), half.params, { steps: 10, state: half.state });
    expect(values(rest.params.w)).toEqual(values(straight.params.w));
    expect([...half.losses, ...rest.losses]).toEqual(straight.losses);
  });

  it('refuses bad arguments and unknown option keys, naming the function and key', () => {
    const cur = { params: { w: f64(w0) }, state: sgd().init({ w: f64(w0) }) };
    expect(() => trainStep(loss, sgd(), cur, { protec: new Set() } as never)).toThrow(/^trainStep: unknown option "protec" \(did you mean "protect"\?\); known options: protect, extra/);
    expect(() => trainStep(loss, sgd(), { params: cur.params } as never)).toThrow(/trainStep: the third argument must be \{ params, state \}/);
    expect(() => trainStep(loss, {} as never, cur)).toThrow(/trainStep: tx must be a GradientTransformation/);
    expect(() => trainStep(3 as never, sgd(), cur)).toThrow(/trainStep: loss must be a function/);
    expect(() => trainStep(loss, sgd(), cur, { protect: [] as never })).toThrow(/trainStep: protect must be a Set/);
    expect(() => fit(loss, sgd(), cur.params, { steps: 2, epochs: 1 } as never)).toThrow(/^fit: unknown option "epochs"/);
    expect(() => fit(loss, sgd(), cur.params, { steps: -1 })).toThrow(/fit: steps must be an integer ≥ 0, got -1/);
    expect(() => fit(loss, sgd(), cur.params, { steps: 1, onStep: 1 as never })).toThrow(/fit: onStep must be a function/);
    expect(() => trainStep(() => tensor([1, 2], { dtype: 'float64' }), sgd(), cur)).toThrow(/must return a scalar/);
  });
});
