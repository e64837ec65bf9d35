import type { Tensor } from '@ddopt/tensor';
import { assertTensor, checkArg, fmtShape, option } from '@ddopt/tensor/validate';


// Class indices from int32 labels [N] or one-hot / probability targets [N, K].
function labelIndices(where: string, labels: Tensor, n: number, k: number): ArrayLike<number> {
  assertTensor(where, 'labels', labels);
  if (labels.dtype === 'int32') {
    if (labels.rank !== 1 || labels.shape[0] !== n) throw new RangeError(`${where}: int32 labels must be [${n}], got ${fmtShape(labels.shape)}`);
    const v = labels.dataSync();
    for (let i = 0; i < n; i++) if (v[i]! < 0 || v[i]! >= k) throw new RangeError(`${where}: label ${v[i]} at index ${i} is outside [0, ${k})`);
    return v;
  }
  if (labels.rank !== 2 || labels.shape[0] !== n || labels.shape[1] !== k) throw new RangeError(`${where}: labels must be int32 [${n}] or one-hot [${n}, ${k}], got ${labels.dtype} ${fmtShape(labels.shape)}`);
  const v = labels.dataSync();
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) throw new RangeError(`${where}: labels hold ${v[i]} at flat index ${i}`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (v[i * k + j]! > v[i * k + best]!) best = j;
    out[i] = best;
  }
  return out;
}

/** Fraction of samples whose true class is among the `k` largest logits (ties count against). */
// A NaN logit would compare false with everything and count as a hit; refuse it.
function finiteLogits(where: string, z: ArrayLike<number>): void {
  for (let i = 0; i < z.length; i++) if (Number.isNaN(z[i]!)) throw new RangeError(`${where}: logits hold NaN at flat index ${i}; no class can be read from it`);
}

export function topK(logits: Tensor, labels: Tensor, k: number): number {
  return topKAs('topK', logits, labels, k);
}

function topKAs(where: string, logits: Tensor, labels: Tensor, k: number): number {
  assertTensor(where, 'logits', logits);
  checkArg(where, 'k', option.int(1), k);
  if (logits.rank !== 2) throw new RangeError(`${where}: logits must be [N, K], got ${fmtShape(logits.shape)}`);
  const [n, classes] = logits.shape as [number, number];
  if (k > classes) throw new RangeError(`${where}: k must be an integer in [1, ${classes}], got ${k}`);
  if (n === 0) throw new RangeError(`${where}: no samples`);
  const y = labelIndices(where, labels, n, classes);
  const z = logits.dataSync();
  finiteLogits(where, z);
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
  assertTensor('accuracy', 'logits', logits);
  assertTensor('accuracy', 'labels', labels);
  const binary = logits.rank === 1 || (logits.rank === 2 && logits.shape[1] === 1);
  if (!binary) return topKAs('accuracy', logits, labels, 1);
  const n = logits.shape[0]!;
  if (n === 0) throw new RangeError('accuracy: no samples');
  if (labels.size !== n) throw new RangeError(`accuracy: binary logits ${fmtShape(logits.shape)} need ${n} labels, got ${fmtShape(labels.shape)}`);
  const z = logits.dataSync();
  finiteLogits('accuracy', z);
  const y = labels.dataSync();
  for (let i = 0; i < n; i++) if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`accuracy: binary labels must be 0 or 1, got ${y[i]} at index ${i}`);
  let hits = 0;
  for (let i = 0; i < n; i++) if ((z[i]! > 0 ? 1 : 0) === (y[i]! > 0.5 ? 1 : 0)) hits++;
  return hits / n;
}
