import type { Tensor } from '@ddopt/tensor';
import { fmtShape } from '@ddopt/tensor/validate';


// Class indices from int32 labels [N] or one-hot / probability targets [N, K].
function labelIndices(where: string, labels: Tensor, n: number, k: number): ArrayLike<number> {
  if (labels.dtype === 'int32') {
    if (labels.rank !== 1 || labels.shape[0] !== n) throw new RangeError(`${where}: int32 labels must be [${n}], got ${fmtShape(labels.shape)}`);
    return labels.dataSync();
  }
  if (labels.rank !== 2 || labels.shape[0] !== n || labels.shape[1] !== k) throw new RangeError(`${where}: labels must be int32 [${n}] or one-hot [${n}, ${k}], got ${labels.dtype} ${fmtShape(labels.shape)}`);
  const v = labels.dataSync();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (v[i * k + j]! > v[i * k + best]!) best = j;
    out[i] = best;
  }
  return out;
}

/** Fraction of samples whose true class is among the `k` largest logits (ties count against). */
export function topK(logits: Tensor, labels: Tensor, k: number): number {
  if (logits.rank !== 2) throw new RangeError(`topK: logits must be [N, K], got ${fmtShape(logits.shape)}`);
  const [n, classes] = logits.shape as [number, number];
  if (!Number.isInteger(k) || k < 1 || k > classes) throw new RangeError(`topK: k must be an integer in [1, ${classes}], got ${k}`);
  if (n === 0) throw new RangeError('topK: no samples');
  const y = labelIndices('topK', labels, n, classes);
  const z = logits.dataSync();
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const target = z[i * classes + y[i]!]!;
    // The true class is in the top k when fewer than k logits are at least as large (excluding itself).
    let above = 0;
    for (let j = 0; j < classes; j++) if (j !== y[i] && z[i * classes + j]! >= target) above++;
    if (above < k) hits++;
  }
  return hits / n;
}

/**
 * Fraction of correct predictions. Logits [N, K] are compared by argmax; logits [N] or [N, 1]
 * are binary (positive logit = class 1) against labels 0/1.
 */
export function accuracy(logits: Tensor, labels: Tensor): number {
  const binary = logits.rank === 1 || (logits.rank === 2 && logits.shape[1] === 1);
  if (!binary) return topK(logits, labels, 1);
  const n = logits.shape[0]!;
  if (labels.size !== n) throw new RangeError(`accuracy: binary logits ${fmtShape(logits.shape)} need ${n} labels, got ${fmtShape(labels.shape)}`);
  const z = logits.dataSync();
  const y = labels.dataSync();
  let hits = 0;
  for (let i = 0; i < n; i++) if ((z[i]! > 0 ? 1 : 0) === (y[i]! > 0.5 ? 1 : 0)) hits++;
  return hits / n;
}
