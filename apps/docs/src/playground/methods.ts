// The optimizers a playground can race: every preset of @ddopt/optimizers, the seed report's
// uniform-framework forms, and the methods of @ddopt/second-order (L-BFGS, Newton-CG, AdaHessian).
// Each entry says which hyperparameters get a slider; `make` builds the optimizer from the
// package with exactly those values (the packages' own option names).
import { type PyTree, type Tensor, prng } from '@ddopt/tensor';
import * as opt from '@ddopt/optimizers';
import { type SecondOrderMethod, adahessian, lbfgs, newtonCg } from '@ddopt/second-order';

/** A hyperparameter slider: `lr` sliders move on a log scale. */
export interface Hyper {
  key: string;
  label: string;
  min: number;
  max: number;
  step: number;
  default: number;
  log?: boolean;
}

/** What learning rate a method wants, so a surface can suggest one per kind. */
export type LrKind = 'sgd' | 'adaptive' | 'adadelta' | 'unit';

/** One step of a method on a loss: the new params and the loss it reports. */
export type Stepper<P extends PyTree> = () => { params: P; loss: number };

export interface Method {
  id: string;
  label: string;
  family: 'torch.optim preset' | 'uniform framework (seed 003)' | 'saddle escape (lecture 001)' | 'second order';
  lrKind: LrKind;
  hyper: Hyper[];
  /** Starts a run: the returned function takes one step. */
  start: <P extends PyTree>(h: Record<string, number>, loss: (p: P) => Tensor, init: P, steps: number) => Stepper<P>;
}

const lr = (d: number): Hyper => ({ key: 'lr', label: 'learning rate α', min: 1e-5, max: 10, step: 0.01, default: d, log: true });
const beta = (key: string, label: string, d: number): Hyper => ({ key, label, min: 0, max: 0.999, step: 0.001, default: d });

/** A GradientTransformation stepped with the package's `trainStep` (gradient at its evalPoint). */
function transformation(make: (h: Record<string, number>, steps: number) => opt.GradientTransformation): Method['start'] {
  return (h, loss, init, steps) => {
    const tx = make(h, steps);
    let current = { params: init, state: tx.init(init) };
    return () => {
      const r = opt.trainStep(loss, tx, current);
      current = { params: r.params, state: r.state };
      return { params: r.params, loss: r.loss };
    };
  };
}

const presets: Method[] = ([
  { id: 'sgd', label: 'SGD', lrKind: 'sgd', hyper: [lr(1e-3)], start: transformation((h) => opt.sgd({ lr: h.lr! })) },
  { id: 'momentum', label: 'SGD + momentum', lrKind: 'sgd', hyper: [lr(1e-3), beta('momentum', 'momentum', 0.9)], start: transformation((h) => opt.sgd({ lr: h.lr!, momentum: h.momentum! })) },
  { id: 'nesterov', label: 'SGD + Nesterov', lrKind: 'sgd', hyper: [lr(1e-3), beta('momentum', 'momentum', 0.9)], start: transformation((h) => opt.sgd({ lr: h.lr!, momentum: h.momentum!, nesterov: true })) },
  { id: 'adagrad', label: 'AdaGrad', lrKind: 'adaptive', hyper: [lr(0.3)], start: transformation((h) => opt.adagrad({ lr: h.lr! })) },
  { id: 'adadelta', label: 'AdaDelta', lrKind: 'adadelta', hyper: [lr(1), beta('rho', 'ρ', 0.9)], start: transformation((h) => opt.adadelta({ lr: h.lr!, rho: h.rho! })) },
  { id: 'rmsprop', label: 'RMSProp', lrKind: 'adaptive', hyper: [lr(0.01), beta('alpha', 'α (smoothing)', 0.99)], start: transformation((h) => opt.rmsprop({ lr: h.lr!, alpha: h.alpha! })) },
  { id: 'adam', label: 'Adam', lrKind: 'adaptive', hyper: [lr(0.05), beta('beta1', 'β₁', 0.9), beta('beta2', 'β₂', 0.999)], start: transformation((h) => opt.adam({ lr: h.lr!, betas: [h.beta1!, h.beta2!] })) },
  { id: 'adamw', label: 'AdamW', lrKind: 'adaptive', hyper: [lr(0.05), beta('beta1', 'β₁', 0.9), beta('beta2', 'β₂', 0.999), { key: 'weightDecay', label: 'weight decay', min: 0, max: 0.5, step: 0.01, default: 0.01 }], start: transformation((h) => opt.adamw({ lr: h.lr!, betas: [h.beta1!, h.beta2!], weightDecay: h.weightDecay! })) },
  { id: 'nadam', label: 'NAdam', lrKind: 'adaptive', hyper: [lr(0.05), beta('beta1', 'β₁', 0.9), beta('beta2', 'β₂', 0.999)], start: transformation((h) => opt.nadam({ lr: h.lr!, betas: [h.beta1!, h.beta2!] })) },
  { id: 'adamax', label: 'Adamax', lrKind: 'adaptive', hyper: [lr(0.05), beta('beta1', 'β₁', 0.9), beta('beta2', 'β₂', 0.999)], start: transformation((h) => opt.adamax({ lr: h.lr!, betas: [h.beta1!, h.beta2!] })) },
  { id: 'radam', label: 'RAdam', lrKind: 'adaptive', hyper: [lr(0.05), beta('beta1', 'β₁', 0.9), beta('beta2', 'β₂', 0.999)], start: transformation((h) => opt.radam({ lr: h.lr!, betas: [h.beta1!, h.beta2!] })) },
  { id: 'lion', label: 'Lion', lrKind: 'adaptive', hyper: [lr(0.01), beta('beta1', 'β₁', 0.9), beta('beta2', 'β₂', 0.99)], start: transformation((h) => opt.lion({ lr: h.lr!, betas: [h.beta1!, h.beta2!] })) },
] satisfies Omit<Method, 'family'>[]).map((m) => ({ ...m, family: 'torch.optim preset' as const }));

const forms: Method[] = ([
  { id: 'seedSgd', label: 'SGD (framework)', lrKind: 'sgd', hyper: [lr(1e-3)], start: transformation((h) => opt.seedSgd({ lr: h.lr! })) },
  { id: 'seedSgdm', label: 'SGDM (framework)', lrKind: 'sgd', hyper: [lr(1e-3), beta('beta1', 'β₁', 0.9)], start: transformation((h) => opt.seedSgdm({ lr: h.lr!, beta1: h.beta1! })) },
  { id: 'seedNag', label: 'NAG (framework)', lrKind: 'sgd', hyper: [lr(1e-3), beta('beta1', 'β₁', 0.9)], start: transformation((h) => opt.seedNag({ lr: h.lr!, beta1: h.beta1! })) },
  { id: 'seedAdagrad', label: 'AdaGrad (framework)', lrKind: 'adaptive', hyper: [lr(0.3)], start: transformation((h) => opt.seedAdagrad({ lr: h.lr! })) },
  { id: 'seedAdadelta', label: 'AdaDelta (framework)', lrKind: 'adadelta', hyper: [lr(1), beta('beta2', 'β₂', 0.9)], start: transformation((h) => opt.seedAdadelta({ lr: h.lr!, beta2: h.beta2! })) },
  { id: 'seedRmsprop', label: 'RMSProp (framework)', lrKind: 'adaptive', hyper: [lr(0.01), beta('beta2', 'β₂', 0.99)], start: transformation((h) => opt.seedRmsprop({ lr: h.lr!, beta2: h.beta2! })) },
  { id: 'seedAdam', label: 'Adam (framework)', lrKind: 'adaptive', hyper: [lr(0.05), beta('beta1', 'β₁', 0.9), beta('beta2', 'β₂', 0.999)], start: transformation((h) => opt.seedAdam({ lr: h.lr!, beta1: h.beta1!, beta2: h.beta2! })) },
  { id: 'seedNadam', label: 'NAdam (framework)', lrKind: 'adaptive', hyper: [lr(0.05), beta('beta1', 'β₁', 0.9), beta('beta2', 'β₂', 0.999)], start: transformation((h) => opt.seedNadam({ lr: h.lr!, beta1: h.beta1!, beta2: h.beta2! })) },
  { id: 'seedQhm', label: 'QHM (framework)', lrKind: 'sgd', hyper: [lr(1e-3), beta('beta1', 'β₁', 0.999), { key: 'nu', label: 'ν', min: 0, max: 1, step: 0.01, default: 0.7 }], start: transformation((h) => opt.seedQhm({ lr: h.lr!, beta1: h.beta1!, nu: h.nu! })) },
  { id: 'seedDemon', label: 'DEMON (framework)', lrKind: 'sgd', hyper: [lr(1e-3), beta('beta1', 'β₁ (initial)', 0.9)], start: transformation((h, steps) => opt.seedDemon({ lr: h.lr!, beta1: h.beta1!, totalSteps: steps })) },
] satisfies Omit<Method, 'family'>[]).map((m) => ({ ...m, family: 'uniform framework (seed 003)' as const }));

const saddle: Method[] = [
  {
    id: 'perturbedGd',
    label: 'perturbed GD (Jin et al.)',
    family: 'saddle escape (lecture 001)',
    lrKind: 'sgd',
    hyper: [lr(1e-3), { key: 'gThres', label: 'g_thres', min: 0, max: 1, step: 0.001, default: 0.05 }, { key: 'radius', label: 'kick radius r', min: 0.001, max: 1, step: 0.001, default: 0.1 }, { key: 'tThres', label: 't_thres', min: 0, max: 200, step: 1, default: 20 }],
    // The kicks are seeded by the page's seed (passed as h.seed).
    start: transformation((h) => opt.perturbedGd({ lr: h.lr!, gThres: h.gThres!, radius: h.radius!, tThres: Math.round(h.tThres!), key: prng(h.seed ?? 0) })),
  },
];

/** A method of @ddopt/second-order (`{ init, step(f, params, state) }`: they take the loss itself). */
function secondOrderMethod(make: (h: Record<string, number>) => SecondOrderMethod): Method['start'] {
  return (h, loss, init) => {
    const m = make(h);
    let params = init;
    let state = m.init(init);
    return () => {
      const r = m.step(loss, params, state);
      params = r.params;
      state = r.state;
      return { params, loss: r.loss };
    };
  };
}

const second: Method[] = ([
  { id: 'lbfgs', label: 'L-BFGS', lrKind: 'unit', hyper: [lr(1), { key: 'historySize', label: 'history', min: 1, max: 50, step: 1, default: 10 }], start: secondOrderMethod((h) => lbfgs({ lr: h.lr!, maxIter: 1, historySize: h.historySize!, lineSearch: 'strongWolfe' })) },
  { id: 'newtonCg', label: 'Newton-CG', lrKind: 'unit', hyper: [{ key: 'damping', label: 'damping λ', min: 0, max: 10, step: 0.01, default: 0.1 }], start: secondOrderMethod((h) => newtonCg({ damping: h.damping! })) },
  { id: 'adahessian', label: 'AdaHessian', lrKind: 'adaptive', hyper: [lr(0.15), beta('beta1', 'β₁', 0.9), beta('beta2', 'β₂', 0.999)], start: secondOrderMethod((h) => adahessian({ lr: h.lr!, betas: [h.beta1!, h.beta2!], seed: 0 })) },
] satisfies Omit<Method, 'family'>[]).map((m) => ({ ...m, family: 'second order' as const }));

/** Every method, in the order the pages list them. */
export const METHODS: readonly Method[] = [...presets, ...forms, ...saddle, ...second];

/** The method with this id; throws naming the known ids otherwise. */
export function methodById(id: string): Method {
  const m = METHODS.find((x) => x.id === id);
  if (!m) throw new RangeError(`methodById: unknown method "${id}"; known: ${METHODS.map((x) => x.id).join(', ')}`);
  return m;
}

/** The default hyperparameters of a method, with the learning rate a surface suggests for its kind. */
export function defaultHyper(m: Method, suggestedLr?: Partial<Record<LrKind, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of m.hyper) out[p.key] = p.default;
  const s = suggestedLr?.[m.lrKind];
  if (s !== undefined && 'lr' in out) out.lr = s;
  return out;
}
