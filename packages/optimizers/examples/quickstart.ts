// In a project that installs @ddopt/optimizers: npx tsx quickstart.ts (in this repository: node_modules/.bin/tsx --conditions=source packages/optimizers/examples/quickstart.ts)
import { type Tensor, mul, sub, sum, tensor } from '@ddopt/tensor';
import { adam, applyUpdates, evalPoint, fit, seedNag, stateFromJSON, stateToJSON } from '@ddopt/optimizers';

// Minimise ‖w − target‖² with a PyTorch-compatible Adam.
const target = tensor([1, -2, 3], { dtype: 'float64' });
const gradient = (p: { w: Tensor }) => ({ w: mul(sub(p.w, target), 2) });

let params = { w: tensor([0, 0, 0], { dtype: 'float64' }) };
const opt = adam({ lr: 0.1 });
let state = opt.init(params);
for (let t = 0; t < 300; t++) {
  const { updates, state: next } = opt.update(gradient(params), state, params);
  params = applyUpdates(params, updates);
  state = next;
}
console.log('adam:', params.w.toArray());

// The states are plain data: save mid-run and resume bit-identically.
const saved = JSON.stringify(stateToJSON(state));
state = stateFromJSON(JSON.parse(saved)) as typeof state;

// A seed-003 form with a look-ahead: the gradient is taken at evalPoint (ζ = w − α·m).
const nag = seedNag({ lr: 0.1, beta1: 0.9 });
let p2 = { w: tensor([0, 0, 0], { dtype: 'float64' }) };
let s2 = nag.init(p2);
for (let t = 0; t < 300; t++) {
  const { updates, state: next } = nag.update(gradient(evalPoint(nag, p2, s2)), s2, p2);
  p2 = applyUpdates(p2, updates);
  s2 = next;
}
console.log('seed NAG:', p2.w.toArray());

// With a loss instead of a gradient, fit runs the loop: @ddopt/autograd differentiates it at
// evalPoint, and replaced tensors are disposed (what tfjs backends need), one trainStep per step.
const loss = (p: { w: Tensor }) => sum(mul(sub(p.w, target), sub(p.w, target)));
const fitted = fit(loss, adam({ lr: 0.1 }), { w: tensor([0, 0, 0], { dtype: 'float64' }) }, { steps: 300 });
console.log('fit:', fitted.params.w.toArray(), 'loss', fitted.losses[0], '→', fitted.losses[299]);
