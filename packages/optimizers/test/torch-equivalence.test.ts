import { readFileSync } from 'node:fs';
import { tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import { type GradientTransformation, applyUpdates, adadelta, adagrad, adam, adamax, adamw, nadam, radam, rmsprop, sgd } from '../src/index.js';
import { type Problem, problemGradient } from './problem.js';

interface Run {
  preset: string;
  options: Record<string, unknown>;
  w: number[][];
  M: number[][];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch_optim.json', import.meta.url), 'utf8')) as {
  steps: number;
  mu: number;
  y: number[];
  w0: number[];
  M0: number[][];
  runs: Run[];
};

const presets: Record<string, (o: any) => GradientTransformation<any>> = { sgd, adagrad, adadelta, rmsprop, adam, adamw, nadam, adamax, radam };

describe('presets reproduce torch.optim 1.13 trajectories (float64, 200 steps, every point to 1e-10)', () => {
  it('covers every recorded run', () => {
    expect(fixture.runs.length).toBeGreaterThanOrEqual(20);
    expect(new Set(fixture.runs.map((r) => r.preset))).toEqual(new Set(Object.keys(presets)));
  });
  for (const run of fixture.runs) {
    it(`${run.preset}(${JSON.stringify(run.options)})`, () => {
      const opt = presets[run.preset]!(run.options);
      let params: Problem = { w: tensor(fixture.w0, { dtype: 'float64' }), M: tensor(fixture.M0, { dtype: 'float64' }) };
      let state = opt.init(params);
      let worst = 0;
      for (let t = 0; t < fixture.steps; t++) {
        const grads = problemGradient(params, fixture.y, fixture.mu);
        const r = opt.update(grads, state, params);
        state = r.state;
        params = applyUpdates(params, r.updates) ;
        const w = params.w.dataSync();
        const M = params.M.dataSync();
        run.w[t]!.forEach((x, i) => {
          worst = Math.max(worst, Math.abs(x - w[i]!));
        });
        run.M[t]!.forEach((x, i) => {
          worst = Math.max(worst, Math.abs(x - M[i]!));
        });
      }
      expect(worst).toBeLessThan(1e-10);
    });
  }
});
