import { type Tensor, tensor, treeLeaves } from '@ddopt/tensor';
import { stateFromJSON, stateToJSON } from '@ddopt/optimizers';
import { describe, expect, it } from 'vitest';
import { type LbfgsOptions, lbfgs } from '../src/index.js';
import { fixture, flatValues, lbfgsProblem } from './fixture.js';

interface Run {
  problem: string;
  options: LbfgsOptions;
  init: Record<string, number[]>;
  steps: { loss: number; params: Record<string, number[]>; funcEvals: number; nIter: number }[];
  sensitivity: number[];
}

const runs = fixture.lbfgs.runs as Run[];
const worst: Record<string, number> = {};

describe('lbfgs: one step is one torch.optim.LBFGS.step(closure) (PyTorch 1.13, float64)', () => {
  it('covers both line-search settings on three functions', () => {
    expect(new Set(runs.map((r) => r.problem))).toEqual(new Set(['rosenbrock2', 'rosenbrock4', 'logreg']));
    expect(runs.some((r) => r.options.lineSearch === 'strongWolfe') && runs.some((r) => r.options.lineSearch === undefined)).toBe(true);
  });

  for (const run of runs) {
    it(`${run.problem} ${JSON.stringify(run.options)}: ${run.steps.length} steps, same iterates, losses and evaluation counts`, () => {
      const f = lbfgsProblem(run.problem);
      const opt = lbfgs(run.options);
      let params: Record<string, Tensor> = Object.fromEntries(Object.entries(run.init).map(([k, v]) => [k, tensor(v, { dtype: 'float64' })]));
      let state = opt.init(params);
      let err = 0;
      run.steps.forEach((want, i) => {
        const r = opt.step(f, params, state);
        params = r.params;
        state = r.state;
        // a 1e-13 change of the start moves torch's own point by `sensitivity`: rounding may move ours by as much
        const tol = 1e-11 + run.sensitivity[i]!;
        const got = flatValues(params);
        const ref = Object.values(want.params).flat();
        const e = Math.max(...got.map((g, j) => Math.abs(g - ref[j]!)));
        err = Math.max(err, e / Math.max(...ref.map(Math.abs)));
        expect(e, `step ${i + 1}`).toBeLessThanOrEqual(tol);
        expect(Math.abs(r.loss - want.loss)).toBeLessThanOrEqual(1e-11 * Math.max(1, Math.abs(want.loss)) + run.sensitivity[Math.max(0, i - 1)]! * 1e3);
        expect(state.funcEvals).toBe(want.funcEvals);
        expect(state.nIter).toBe(want.nIter);
        expect(r.cost.gradients).toBe(want.funcEvals - (i === 0 ? 0 : run.steps[i - 1]!.funcEvals));
      });
      worst[`${run.problem} ${JSON.stringify(run.options)}`] = err;
    });
  }
});

describe('lbfgs state and options', () => {
  it('the state survives stateToJSON / stateFromJSON and the next step is unchanged', () => {
    const f = lbfgsProblem('rosenbrock2');
    const opt = lbfgs({ lineSearch: 'strongWolfe', maxIter: 4 });
    const p0 = { x: tensor([-1.2, 1], { dtype: 'float64' }) };
    const a = opt.step(f, p0, opt.init(p0));
    const restored = stateFromJSON(JSON.parse(JSON.stringify(stateToJSON(a.state)))) as typeof a.state;
    const b1 = opt.step(f, a.params, a.state);
    const b2 = opt.step(f, a.params, restored);
    expect(flatValues(b2.params)).toEqual(flatValues(b1.params));
    expect(treeLeaves(p0)[0]!.toArray()).toEqual([-1.2, 1]);
  });

  it('unknown options and bad values throw, naming lbfgs', () => {
    expect(() => lbfgs({ line_search_fn: 'strong_wolfe' } as never)).toThrow(/lbfgs: unknown option "line_search_fn" \(did you mean "lineSearch"\?\)/);
    expect(() => lbfgs({ lineSearch: 'wolfe' as never })).toThrow(/lbfgs: lineSearch must be one of 'strongWolfe', 'none', got 'wolfe'/);
    expect(() => lbfgs({ historySize: 0 })).toThrow(/lbfgs: historySize must be an integer ≥ 1, got 0/);
    const opt = lbfgs();
    const p = { x: tensor([1, 2], { dtype: 'float64' }) };
    expect(() => opt.step((q: typeof p) => q.x, p, opt.init(p))).toThrow(/lbfgs: the loss f\(params\) must return a scalar, got a tensor of shape \[2\]/);
  });
});

export { worst };
