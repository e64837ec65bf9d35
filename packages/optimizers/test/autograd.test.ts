import { readFileSync } from 'node:fs';
import { valueAndGrad } from '@ddopt/autograd';
import { type Tensor, add, mul, softplus, sub, sum, tensor } from '@ddopt/tensor';
import { describe, expect, it } from 'vitest';
import {
  type GradientTransformation,
  adam,
  applyUpdates,
  evalPoint,
  nadam,
  seedAdagrad,
  seedAdam,
  seedDemon,
  seedNadam,
  seedNag,
  seedQhm,
  seedRmsprop,
  seedSgd,
  seedSgdm,
  sgd,
} from '../src/index.js';
import { maxDiff, values } from './helpers.js';
import type { Problem } from './problem.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch_optim.json', import.meta.url), 'utf8'));
const y = tensor(fixture.y, { dtype: 'float64' });

// The recorded problem's loss; autograd differentiates it, no closed form involved.
function loss(p: Problem): Tensor {
  const z = sub(sum(mul(p.M, p.w), { axis: 1 }), y);
  const d = sub(p.w, 1);
  return add(add(sum(softplus(z)), mul(sum(mul(mul(d, d), mul(d, d))), 0.25)), mul(sum(mul(p.M, p.M)), fixture.mu / 2));
}
const lossAndGrad = valueAndGrad(loss) as (p: Problem) => [Tensor, Problem];
const start = (): Problem => ({ w: tensor(fixture.w0, { dtype: 'float64' }), M: tensor(fixture.M0, { dtype: 'float64' }) });

function train(opt: GradientTransformation<any>, steps: number) {
  let params = start();
  let state = opt.init(params);
  const losses: number[] = [];
  for (let t = 0; t < steps; t++) {
    const [value, g] = lossAndGrad(evalPoint(opt, params, state));
    losses.push(value.item());
    const r = opt.update(g, state, params, { loss: value.item() });
    state = r.state;
    params = applyUpdates(params, r.updates);
  }
  return { params, losses };
}

describe('training with @ddopt/autograd gradients', () => {
  it('reproduces the recorded torch trajectories (adam, sgd nesterov, nadam) to 1e-10', () => {
    const cases: [GradientTransformation<any>, number][] = [
      [adam({ lr: 0.01 }), fixture.runs.findIndex((r: any) => r.preset === 'adam')],
      [sgd({ lr: 0.02, momentum: 0.9, nesterov: true }), fixture.runs.findIndex((r: any) => r.options.nesterov)],
      [nadam({ lr: 0.01 }), fixture.runs.findIndex((r: any) => r.preset === 'nadam')],
    ];
    for (const [opt, i] of cases) {
      const run = fixture.runs[i];
      const { params } = train(opt, fixture.steps);
      expect(maxDiff(values(params), [...run.w[fixture.steps - 1], ...run.M[fixture.steps - 1]])).toBeLessThan(1e-10);
    }
  });

  it('every seed form cuts the loss below 12% of its start in 150 steps, the look-ahead ones through evalPoint', () => {
    const forms: [string, GradientTransformation<any>][] = [
      ['SGD', seedSgd({ lr: 0.05 })],
      ['SGDM', seedSgdm({ lr: 0.05 })],
      ['SGD-NAG', seedNag({ lr: 0.05 })],
      ['AdaGrad', seedAdagrad({ lr: 0.1 })],
      ['RMSProp', seedRmsprop({ lr: 0.01 })],
      ['Adam', seedAdam({ lr: 0.01 })],
      ['NAdam', seedNadam({ lr: 0.01 })],
      ['QHM', seedQhm({ lr: 0.05 })],
      ['DEMON', seedDemon({ lr: 0.05, totalSteps: 150 })],
    ];
    for (const [name, opt] of forms) {
      const { losses } = train(opt, 150);
      expect(losses[149]!, name).toBeLessThan(0.12 * losses[0]!);
    }
  });
});
