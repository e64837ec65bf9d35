// In a project that installs ddopt: npx tsx quickstart.ts (in this repository: node_modules/.bin/tsx --conditions=source packages/ddopt/examples/quickstart.ts)
import { type Tensor, Dense, Sequential, accuracy, adam, applyUpdates, grad, mul, prng, softmaxCrossEntropy, sum, tensor, valueAndGrad, xor } from 'ddopt';

// Tensors and autograd: the gradient of Σx² is 2x.
const x = tensor([3, -1], { dtype: 'float64' });
console.log(grad((v: Tensor) => sum(mul(v, v)))(x).toArray()); // [6, -2]

// A small network trained with Adam on the XOR data set, everything seeded.
const data = xor({ n: 256, key: prng(0) });
const model = Sequential([Dense({ units: 16 }), 'tanh', Dense({ units: 2 })]);
let { params } = model.init(prng(1), [2]);
const opt = adam({ lr: 0.05 });
let state = opt.init(params);
const loss = (p: typeof params) => softmaxCrossEntropy(model.apply(p, data.x), data.y);
for (let step = 0; step < 150; step++) {
  const [value, grads] = valueAndGrad(loss)(params);
  const next = opt.update(grads, state, params);
  params = applyUpdates(params, next.updates);
  state = next.state;
  if (step % 50 === 0) console.log(`step ${step}: loss ${value.item().toFixed(4)}`);
}

/** Training accuracy after 150 steps (well above chance on XOR). */
export const trainAccuracy = accuracy(model.apply(params, data.x), data.y);
console.log(`train accuracy ${trainAccuracy}`);
