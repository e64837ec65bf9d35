// The PyTorch recordings of fixtures/torch_grads.json (fixtures/record_torch.py, PyTorch 1.13,
// float64) and the two models they were recorded on, for the float64 and the wasm tests.
import { readFileSync } from 'node:fs';
import { type Tensor, add, conv2d, div, logSoftmax, matmul, mul, neg, oneHot, relu, reshape, sum, tanh, tensor } from '@ddopt/tensor';

export interface Packed {
  shape: number[];
  data: number[];
}
export interface Recording {
  x: Packed;
  labels: number[];
  params: Record<string, Packed>;
  v: Record<string, Packed>;
  loss: number;
  grad: Record<string, Packed>;
  hvp: Record<string, Packed>;
}
type Float = 'float32' | 'float64';
type Loss = (p: Record<string, Tensor>) => Tensor;

export const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch_grads.json', import.meta.url), 'utf8')) as { mlp: Recording; conv: Recording };

export const unpack = (p: Packed, dtype: Float): Tensor => tensor(p.data, { shape: p.shape, dtype });
export const unpackAll = (r: Record<string, Packed>, dtype: Float): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, unpack(v, dtype)]));

/** Mean softmax cross-entropy of logits [batch, classes] against integer labels. */
function crossEntropy(logits: Tensor, labels: number[]): Tensor {
  const hot = oneHot(tensor(labels, { dtype: 'int32' }), logits.shape[1]!, logits.dtype);
  return div(neg(sum(mul(hot, logSoftmax(logits)))), labels.length);
}

/** The recorded tanh MLP's loss on its data, in `dtype`. */
export function mlpLoss(r: Recording, dtype: Float): Loss {
  const x = unpack(r.x, dtype);
  return (p) => crossEntropy(add(matmul(tanh(add(matmul(x, p.w1!), p.b1!)), p.w2!), p.b2!), r.labels);
}

/** The recorded conv2d (dilation, padding, stride, groups) + ReLU net's loss on its data, in `dtype`. */
export function convLoss(r: Recording, dtype: Float): Loss {
  const x = unpack(r.x, dtype);
  return (p) => {
    let h = relu(add(conv2d(x, p.w1!, { padding: 2, dilation: 2 }), reshape(p.b1!, [1, 4, 1, 1])));
    h = relu(conv2d(h, p.w2!, { stride: 2, groups: 2 }));
    return crossEntropy(add(matmul(reshape(h, [2, -1]), p.w3!), p.b3!), r.labels);
  };
}
