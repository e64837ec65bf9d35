// Running a @ddopt/second-order method for a number of steps and recording what the second-order
// experiments plot: the full training loss after each step, the curvature products and wall time so far.
import type { SecondOrderMethod } from '@ddopt/second-order';
import { type PyTree, type Tensor, withBackend } from '@ddopt/tensor';
import { type Progress, breathe } from '../contract.js';

/**
 * Runs `fn` on the cpu backend: these experiments are float64 on cpu whatever `--backend` says (the
 * tensors they make would otherwise land on the current backend, which may not hold float64).
 */
export function onCpu<T>(fn: () => T): T {
  return withBackend('cpu', fn);
}

/** One point of a lap: after `iter` steps. */
export interface LapPoint {
  iter: number;
  loss: number;
  /** Curvature-vector products (Hessian or Gauss-Newton) so far. */
  products: number;
  /** Gradient passes so far (loss-and-gradient evaluations, line-search trials included). */
  passes: number;
  /** Wall time of the steps so far (the full-loss evaluations for the plot are not counted). */
  ms: number;
}

/** A method's run. */
export interface Lap<P = PyTree> {
  name: string;
  hyper: string;
  points: LapPoint[];
  params: P;
  /** Set when the method threw (diverged, lost positive definiteness): the run stops there. */
  error?: string;
}

/** Runs `method` for `steps` steps on `batchLoss(t)` from `init`, recording `fullLoss` after every `every`-th step and the last. */
export async function runLap<P extends PyTree>(
  name: string,
  hyper: string,
  method: SecondOrderMethod<any>,
  batchLoss: (t: number) => (p: P) => Tensor,
  fullLoss: (p: P) => Tensor,
  init: P,
  steps: number,
  progress: Progress,
  every = 1,
): Promise<Lap<P>> {
  let params = init;
  let state = onCpu(() => method.init(init));
  const points: LapPoint[] = [{ iter: 0, loss: onCpu(() => fullLoss(init).item()), products: 0, passes: 0, ms: 0 }];
  let products = 0;
  let passes = 0;
  let ms = 0;
  let error: string | undefined;
  for (let t = 0; t < steps; t++) {
    try {
      const t0 = performance.now();
      const r = onCpu(() => method.step(batchLoss(t), params, state));
      ms += performance.now() - t0;
      params = r.params;
      state = r.state;
      products += r.cost.products;
      passes += r.cost.gradients + r.cost.evaluations;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      progress.tick(steps - t);
      break;
    }
    progress.tick();
    if ((t + 1) % every !== 0 && t + 1 !== steps) continue;
    const loss = onCpu(() => fullLoss(params).item());
    points.push({ iter: t + 1, loss, products, passes, ms });
    if (!Number.isFinite(loss)) {
      error = `the loss became ${loss} at step ${t + 1}`;
      progress.tick(steps - t - 1);
      break;
    }
    if (t % 5 === 4) await breathe();
  }
  return error === undefined ? { name, hyper, points, params } : { name, hyper, points, params, error };
}

/** The last recorded loss of a lap. */
export const finalLoss = (lap: Lap): number => lap.points[lap.points.length - 1]!.loss;
