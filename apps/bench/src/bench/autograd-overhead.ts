// The autograd issue's speed targets, and the per-backend figures that check them: how much of
// valueAndGrad (and hvp) is primitives' own work and how much is tape and bookkeeping.
import { median } from './timing.js';

/** The autograd issue's speed targets. */
export const TARGETS = {
  /** hvp time ÷ valueAndGrad time. */
  hvpOverGrad: 2.5,
  /** valueAndGrad time ÷ (loss time + the backward pass's matmuls, replayed alone). */
  gradOverLossPlusBackwardMatmuls: 1.3,
} as const;

/** Samples (ms, one per round of `timeInterleaved`) of the calls and of their replayed primitives. */
export interface AutogradSamples {
  loss: number[];
  lossExecute: number[];
  valueAndGrad: number[];
  gradExecute: number[];
  backwardMatmuls: number[];
  hvp: number[];
  hvpExecute: number[];
}

/** Where one backend's loss, valueAndGrad and hvp spend their time (ms, medians), and the target ratios. */
export interface AutogradOverhead {
  loss: number;
  /** The loss's primitives replayed with `execute`, and the rest of the loss (the ops layer's own work, no tape). */
  lossExecute: number;
  lossOutsideExecute: number;
  valueAndGrad: number;
  gradOps: number;
  gradExecute: number;
  /**
   * valueAndGrad minus its primitives replayed (median of the per-round differences, so not
   * exactly valueAndGrad − gradExecute): tape, rules' logic, cotangent sums, the ops layer.
   */
  gradTape: number;
  backwardMatmuls: number;
  backwardMatmulMs: number;
  /** valueAndGrad ÷ (loss + backward matmuls), and whether it meets its target. */
  gradOverLossPlusBackwardMatmuls: number;
  gradOverLossPlusBackwardMatmulsPass: boolean;
  hvp: number;
  hvpOps: number;
  hvpExecute: number;
  hvpTape: number;
  /** hvp ÷ valueAndGrad, and whether it meets its target. */
  hvpOverGrad: number;
  hvpOverGradPass: boolean;
}

/** Medians of the samples, the differences that are bookkeeping, and the ratios checked against `TARGETS`. */
export function autogradOverhead(samples: AutogradSamples, counts: { gradOps: number; backwardMatmuls: number; hvpOps: number }): AutogradOverhead {
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v as number[])])) as Record<keyof AutogradSamples, number>;
  // Bookkeeping from differences within a round: a load change between rounds cancels out.
  const paired = (a: number[], b: number[]) => median(a.map((t, i) => t - b[i]!));
  const gradRatio = m.valueAndGrad / (m.loss + m.backwardMatmuls);
  const hvpRatio = m.hvp / m.valueAndGrad;
  return {
    loss: m.loss,
    lossExecute: m.lossExecute,
    lossOutsideExecute: paired(samples.loss, samples.lossExecute),
    valueAndGrad: m.valueAndGrad,
    gradOps: counts.gradOps,
    gradExecute: m.gradExecute,
    gradTape: paired(samples.valueAndGrad, samples.gradExecute),
    backwardMatmuls: counts.backwardMatmuls,
    backwardMatmulMs: m.backwardMatmuls,
    gradOverLossPlusBackwardMatmuls: gradRatio,
    gradOverLossPlusBackwardMatmulsPass: gradRatio <= TARGETS.gradOverLossPlusBackwardMatmuls,
    hvp: m.hvp,
    hvpOps: counts.hvpOps,
    hvpExecute: m.hvpExecute,
    hvpTape: paired(samples.hvp, samples.hvpExecute),
    hvpOverGrad: hvpRatio,
    hvpOverGradPass: hvpRatio <= TARGETS.hvpOverGrad,
  };
}

const verdict = (pass: boolean) => (pass ? 'pass' : 'miss');
const share = (part: number, whole: number) => `${part.toFixed(2)} (${((part / whole) * 100).toFixed(0)}%)`;

/** Column headers of the overhead table. */
export const OVERHEAD_HEADERS = [
  'backend',
  'loss',
  'loss outside execute',
  'valueAndGrad',
  'grad: execute',
  'grad: tape & bookkeeping',
  'bwd matmuls (n)',
  'grad ÷ (loss + bwd matmuls)',
  `≤ ${TARGETS.gradOverLossPlusBackwardMatmuls}`,
  'hvp',
  'hvp: execute',
  'hvp: tape & bookkeeping',
  'hvp ÷ grad',
  `≤ ${TARGETS.hvpOverGrad}`,
];

/** One row of the overhead table for a ddopt backend. */
export function overheadRow(name: string, o: AutogradOverhead): string[] {
  return [
    name,
    o.loss.toFixed(2),
    o.lossOutsideExecute.toFixed(2),
    o.valueAndGrad.toFixed(2),
    o.gradExecute.toFixed(2),
    share(o.gradTape, o.valueAndGrad),
    `${o.backwardMatmulMs.toFixed(2)} (${o.backwardMatmuls})`,
    `${o.gradOverLossPlusBackwardMatmuls.toFixed(2)}×`,
    verdict(o.gradOverLossPlusBackwardMatmulsPass),
    o.hvp.toFixed(2),
    o.hvpExecute.toFixed(2),
    share(o.hvpTape, o.hvp),
    `${o.hvpOverGrad.toFixed(2)}×`,
    verdict(o.hvpOverGradPass),
  ];
}

/** A row for a peer measured only as whole calls (PyTorch): the hvp target can be checked, the rest cannot. */
export function peerOverheadRow(name: string, t: { loss: number; valueAndGrad: number; hvp: number }): string[] {
  const hvpRatio = t.hvp / t.valueAndGrad;
  return [name, t.loss.toFixed(2), '—', t.valueAndGrad.toFixed(2), '—', '—', '—', '—', '—', t.hvp.toFixed(2), '—', '—', `${hvpRatio.toFixed(2)}×`, verdict(hvpRatio <= TARGETS.hvpOverGrad)];
}
