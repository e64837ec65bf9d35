// AdaHessian (Yao, Gholami, Shen, Keutzer & Mahoney 2020), the reference implementation's update
// (github.com/amirgholami/adahessian, optim_adahessian.py): one Rademacher probe z per step and the
// Hutchinson diagonal D = |H·z| (= |z ⊙ H·z| since |zᵢ| = 1), averaged over the spatial dims (2, 3)
// of 4-D convolution kernels; Adam's moments with D in place of the gradient in the second one;
// the Hessian power k on the denominator; weight decay decoupled inside the step:
//   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)D²,
//   p ← p − lr·(m/(1 − β₁ᵗ) / ((√v)ᵏ/(√(1 − β₂ᵗ))ᵏ + eps) + weightDecay·p).
import { jvp, valueAndGrad } from '@ddopt/autograd';
import { type PyTree, type Tensor, abs, add, broadcastTo, div, mean, mul, pow, sqrt, treeMap, treeZerosLike } from '@ddopt/tensor';
import { addDecayedWeights, applyUpdates, chain, type GradientTransformation, type ScalarOrSchedule, scaleByLearningRate } from '@ddopt/optimizers';
import { type Check, checkOptions, option } from '@ddopt/tensor/validate';
import { type SecondOrderMethod, stepArgs, tidyStep } from './method.js';
import { rademacherFlat, sampleKey } from './probes.js';
import { checkInSpace, fromFlat } from './space.js';
import { scalarLoss } from './validate.js';

/** Options of `scaleByAdahessian`. */
export interface ScaleByAdahessianOptions {
  /** Decays of the gradient and Hessian-diagonal moments (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator (default 1e-4, the reference's). */
  eps?: number;
  /** k, the power of the denominator: 1 is AdaHessian, 0 momentum SGD (default 1). */
  hessianPower?: number;
}

/** State of `scaleByAdahessian`: the step count and the two moments. */
export type AdahessianScaleState = { count: number; m: PyTree; v: PyTree };

const BETA = option.number({ min: 0, below: 1 });
const SCALE_SPEC = {
  betas: option.arrayOf(BETA, 2).default([0.9, 0.999]) as Check<[number, number], true>,
  eps: option.number({ min: 0 }).default(1e-4),
  hessianPower: option.number({ min: 0, max: 1 }).default(1),
};

/**
 * AdaHessian's preconditioner as a GradientTransformation: `update(grads, state, params, extra)`
 * reads the Hessian diagonal estimate from `extra.hessianDiagonal` (shaped like the gradients) and
 * returns m̂ / ((√v)ᵏ/(√(1 − β₂ᵗ))ᵏ + eps). `adahessian` computes the diagonal and chains this with
 * the weight decay and the learning rate.
 */
export function scaleByAdahessian(options?: ScaleByAdahessianOptions): GradientTransformation<AdahessianScaleState> {
  const where = 'scaleByAdahessian';
  const o = checkOptions(where, options, SCALE_SPEC);
  const [b1, b2] = o.betas as [number, number];
  const k = o.hessianPower;
  return {
    init: (params) => ({ count: 0, m: treeZerosLike(params) as PyTree, v: treeZerosLike(params) as PyTree }),
    update(grads, state, _params, extra) {
      const d = extra?.hessianDiagonal as PyTree | undefined;
      if (d === undefined) throw new TypeError(`${where}: update needs extra.hessianDiagonal, the Hutchinson diagonal |H·z| shaped like the gradients (adahessian computes it)`);
      const step = state.count + 1;
      const bc1 = 1 - b1 ** step;
      const bc2Root = Math.sqrt(1 - b2 ** step);
      const m = treeMap((mi: Tensor, g: Tensor) => add(mul(mi, b1), mul(g, 1 - b1)), state.m, grads);
      const v = treeMap((vi: Tensor, di: Tensor) => add(mul(vi, b2), mul(mul(di, 1 - b2), di)), state.v, d);
      const updates = treeMap((mi: Tensor, vi: Tensor) => {
        const root = k === 1 ? sqrt(vi) : pow(sqrt(vi), k);
        return div(div(mi, bc1), add(div(root, k === 1 ? bc2Root : bc2Root ** k), o.eps));
      }, m, v);
      return { updates, state: { count: step, m, v } };
    },
  };
}

/** Options of `adahessian`. */
export interface AdahessianOptions extends ScaleByAdahessianOptions {
  /** Learning rate, a number or a schedule of the step (default 0.15, the reference's). */
  lr?: ScalarOrSchedule;
  /** Weight decay (default 0). */
  weightDecay?: number;
  /** 'decoupled' (default, the reference's: −lr·weightDecay·p beside the step, as AdamW) or 'l2' (weightDecay·p added to the gradient before the moments, as Adam's L2). */
  weightDecayMode?: 'decoupled' | 'l2';
  /** 'abs' (default, the reference's |H·z|) or 'signed' (the paper's Hutchinson estimate z ⊙ H·z, signed before the spatial average). */
  diagonal?: 'abs' | 'signed';
  /** Average D over dims (2, 3) of 4-D kernels (default true, the reference's); false: elementwise everywhere. */
  spatialAverage?: boolean;
  /** Recompute D every this many steps, reusing it in between (default 1; torch-optimizer's update_each). */
  updateEvery?: number;
  /** Seed of the Rademacher probes (default 0); probe t is drawn from (seed, t). */
  seed?: number;
  /** Replaces the Rademacher draw: probe(step, params) returns z shaped like the params (to replay recorded probes, or other distributions). */
  probe?: (step: number, params: any) => PyTree;
}

/** State of `adahessian`. */
export interface AdahessianState {
  count: number;
  inner: unknown[];
  /** The last Hessian diagonal estimate (reused when updateEvery > 1). */
  diagonal: PyTree | null;
}

const SPEC = {
  ...SCALE_SPEC,
  lr: option.anyOf(option.number({ min: 0 }), option.fn<(count: number) => number>()).default(0.15),
  weightDecay: option.number({ min: 0 }).default(0),
  weightDecayMode: option.oneOf(['decoupled', 'l2'] as const).default('decoupled'),
  diagonal: option.oneOf(['abs', 'signed'] as const).default('abs'),
  spatialAverage: option.boolean().default(true),
  updateEvery: option.int(1).default(1),
  seed: option.int(0).default(0),
  probe: option.fn<(step: number, params: any) => PyTree>(),
};

/**
 * AdaHessian with the reference implementation's update and defaults (lr 0.15, betas
 * [0.9, 0.999], eps 1e-4, weightDecay 0, hessianPower 1): one Hessian-vector product per step
 * (forward over reverse, which also gives the gradient).
 */
export function adahessian(options?: AdahessianOptions): SecondOrderMethod<AdahessianState> {
  const where = 'adahessian';
  const o = checkOptions(where, options, SPEC);
  const inner = chain(
    scaleByAdahessian({ betas: o.betas as [number, number], eps: o.eps, hessianPower: o.hessianPower }),
    addDecayedWeights({ weightDecay: o.weightDecayMode === 'decoupled' ? o.weightDecay : 0 }),
    scaleByLearningRate(o.lr as ScalarOrSchedule),
  );
  return tidyStep<AdahessianState>({
    name: where,
    init: (params) => {
      stepArgs(where, () => undefined, params, {});
      return { count: 0, inner: inner.init(params), diagonal: null };
    },
    step(f, params, state) {
      const space = stepArgs(where, f, params, state);
      const loss = scalarLoss(where, f);
      const t = state.count;
      const fresh = state.diagonal === null || t % o.updateEvery === 0;
      let value: Tensor;
      let grads: PyTree;
      let diagonal = state.diagonal;
      if (fresh) {
        const z = o.probe ? o.probe(t, params) : fromFlat(space, rademacherFlat(sampleKey(o.seed, t), space.size));
        if (o.probe) checkInSpace(space, where, 'probe(step, params)', z);
        const [[v, g], [, hz]] = jvp((p: typeof params) => valueAndGrad(loss)(p) as [Tensor, PyTree], [params], [z]) as [[Tensor, PyTree], [Tensor, PyTree]];
        value = v;
        grads = g;
        diagonal = treeMap((h: Tensor, zi: Tensor) => {
          const d = o.diagonal === 'abs' ? abs(h) : mul(zi, h);
          return o.spatialAverage && d.rank === 4 ? broadcastTo(mean(d, { axis: [2, 3], keepdims: true }), d.shape) : d;
        }, hz, z);
      } else {
        [value, grads] = valueAndGrad(loss)(params) as [Tensor, PyTree];
      }
      if (o.weightDecayMode === 'l2' && o.weightDecay > 0) grads = treeMap((g: Tensor, p: Tensor) => add(g, mul(p, o.weightDecay)), grads, params);
      const lossValue = value.item();
      const r = inner.update(grads, state.inner, params, { loss: lossValue, hessianDiagonal: diagonal });
      return {
        params: applyUpdates(params, r.updates),
        state: { count: t + 1, inner: r.state, diagonal },
        loss: lossValue,
        cost: fresh ? { evaluations: 0, gradients: 0, products: 1 } : { evaluations: 0, gradients: 1, products: 0 },
      };
    },
  });
}

