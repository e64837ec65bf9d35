import { type Tensor, logSoftmax, mean, mul, neg, oneHot, softplus, square, sub, sum } from '@ddopt/tensor';
import { assertTensor, checkOptions, fmtShape, fmtValue, option } from '@ddopt/tensor/validate';


/** How a loss combines its per-sample (or per-element) values. */
export type Reduction = 'mean' | 'sum' | 'none';

const REDUCTION = option.oneOf(['mean', 'sum', 'none']).default('mean');

// PyTorch's habit F.mse_loss(p, t, reduction='sum') written positionally here is refused with the right call.
const reductionHint = (where: string, args: string) => (v: unknown) =>
  typeof v === 'string' ? `write ${where}(${args}, { reduction: ${fmtValue(v)} })` : undefined;

function reduce(where: string, values: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return mean(values);
  if (reduction === 'sum') return sum(values);
  if (reduction === 'none') return values;
  throw new TypeError(`${where}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
}

function sameShape(where: string, a: Tensor, aName: string, b: Tensor, bName: string): void {
  assertTensor(where, aName, a);
  assertTensor(where, bName, b);
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(`${where}: ${aName} ${fmtShape(a.shape)} and ${bName} ${fmtShape(b.shape)} must have the same shape (no broadcasting)`);
  }
  if (a.dtype !== b.dtype) throw new TypeError(`${where}: ${aName} is ${a.dtype} but ${bName} is ${b.dtype}`);
}

/** Options of `mse`. */
export interface MseOptions {
  reduction?: Reduction;
  /** Multiply by ½, the seeds' convention (default true); false gives PyTorch's MSELoss. */
  half?: boolean;
}

/** Mean squared error over all elements, ½·mean((pred − target)²) by default. */
export function mse(pred: Tensor, target: Tensor, options?: MseOptions): Tensor {
  const { reduction, half } = checkOptions('mse', options, { reduction: REDUCTION, half: option.boolean().default(true) }, { hint: reductionHint('mse', 'pred, target') });
  sameShape('mse', pred, 'pred', target, 'target');
  const sq = square(sub(pred, target));
  return reduce('mse', half ? mul(sq, 0.5) : sq, reduction);
}

/**
 * Binary cross-entropy from logits z and targets y ∈ [0, 1] of the same shape, computed as
 * max(z, 0) − z·y + log(1 + e^(−|z|)) so it never overflows. Reduced over all elements.
 */
export function binaryCrossEntropy(logits: Tensor, targets: Tensor, options?: { reduction?: Reduction }): Tensor {
  const { reduction } = checkOptions('binaryCrossEntropy', options, { reduction: REDUCTION }, { hint: reductionHint('binaryCrossEntropy', 'logits, targets') });
  sameShape('binaryCrossEntropy', logits, 'logits', targets, 'targets');
  // softplus(z) − z·t: the stable form whose derivatives of every order are the true ones at z = 0 too.
  const values = sub(softplus(logits), mul(logits, targets));
  return reduce('binaryCrossEntropy', values, reduction);
}

/**
 * Softmax cross-entropy from logits [N, K] and either int32 class labels [N] or target
 * probabilities [N, K] (one-hot or soft). Uses logSoftmax, so large logits are safe. The
 * reduction is over samples; 'none' returns [N].
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor, options?: { reduction?: Reduction }): Tensor {
  const where = 'softmaxCrossEntropy';
  assertTensor(where, 'logits', logits);
  assertTensor(where, 'labels', labels);
  const { reduction } = checkOptions(where, options, { reduction: REDUCTION }, { hint: reductionHint(where, 'logits, labels') });
  if (logits.rank !== 2) throw new RangeError(`${where}: logits must be [N, K], got ${fmtShape(logits.shape)}`);
  const [n, k] = logits.shape as [number, number];
  const logp = logSoftmax(logits, -1);
  let perSample: Tensor;
  if (labels.dtype === 'int32') {
    if (labels.rank !== 1 || labels.shape[0] !== n) throw new RangeError(`${where}: int32 labels must be [${n}] for logits ${fmtShape(logits.shape)}, got ${fmtShape(labels.shape)}`);
    const v = labels.dataSync();
    for (let i = 0; i < v.length; i++) {
      if (v[i]! < 0 || v[i]! >= k) throw new RangeError(`${where}: label ${v[i]} at index ${i} is outside [0, ${k})`);
    }
    perSample = neg(sum(mul(logp, oneHot(labels, k, logits.dtype)), { axis: 1 }));
  } else {
    sameShape(where, logits, 'logits', labels, 'target probabilities');
    perSample = neg(sum(mul(logp, labels), { axis: 1 }));
  }
  return reduce(where, perSample, reduction);
}
