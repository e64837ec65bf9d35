// The recorded models of torch-fixture.ts written for one example (the batch axis removed), for
// per-example gradients: loss(params, { x, y }) with y one-hot.
import { readFileSync } from 'node:fs';
import { type Tensor, add, conv2d, logSoftmax, matmul, mul, neg, oneHot, relu, reshape, sum, tanh, tensor } from '@ddopt/tensor';
import { type Packed, type Recording, unpack } from './torch-fixture.js';

type Float = 'float32' | 'float64';
export type Params = Record<string, Tensor>;
export interface Example {
  x: Tensor;
  y: Tensor;
}

/** The recorded batch: inputs and one-hot labels over `classes`, one example per row. */
export function batchOf(r: Recording, classes: number, dtype: Float): Example {
  return { x: unpack(r.x, dtype), y: oneHot(tensor(r.labels, { dtype: 'int32' }), classes, dtype) };
}

const crossEntropy = (logits: Tensor, hot: Tensor): Tensor => neg(sum(mul(reshape(hot, logits.shape), logSoftmax(logits))));

/** The tanh MLP 5-7-4 on one example x [5]. */
export function mlpOne(p: Params, { x, y }: Example): Tensor {
  const h = tanh(add(matmul(reshape(x, [1, x.shape[0]!]), p.w1!), p.b1!));
  return crossEntropy(add(matmul(h, p.w2!), p.b2!), y);
}

/** The conv net on one example x [3, 6, 6]. */
export function convOne(p: Params, { x, y }: Example): Tensor {
  let h = relu(add(conv2d(reshape(x, [1, ...x.shape]), p.w1!, { padding: 2, dilation: 2 }), reshape(p.b1!, [1, 4, 1, 1])));
  h = relu(conv2d(h, p.w2!, { stride: 2, groups: 2 }));
  return crossEntropy(add(matmul(reshape(h, [1, -1]), p.w3!), p.b3!), y);
}

/** functorch's recordings (fixtures/record_torch_vmap.py, PyTorch 1.13, float64). */
export const vmapFixture = JSON.parse(readFileSync(new URL('../fixtures/torch_vmap.json', import.meta.url), 'utf8')) as {
  mlpPerExample: Record<string, Packed>;
  convPerExample: Record<string, Packed>;
  layerJacobians: Packed;
  headHessian: Record<string, Record<string, Packed>>;
};
