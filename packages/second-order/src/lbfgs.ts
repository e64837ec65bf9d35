// L-BFGS exactly as torch.optim.LBFGS (PyTorch 1.13, itself after minFunc): one `step` is one
// `LBFGS.step(closure)` — up to maxIter iterations of the two-loop recursion with the curvature
// pairs kept across steps, a first step of min(1, 1/‖g‖₁)·lr, the optional strong-Wolfe line search
// (cubic interpolation, c1 = 1e-4, c2 = 0.9, 25 evaluations, its own tolerance 1e-9) and torch's
// stopping tests in its order. The vectors are float64 whatever the params' dtype.
import { type PyTree, type Tensor, tensor } from '@ddopt/tensor';
import { type OptionSpec, checkOptions, option } from '@ddopt/tensor/validate';
import { Evaluator, type SecondOrderMethod, stepArgs, tidyStep } from './method.js';
import { fromFlat, toFlat } from './space.js';
import { axpy, axpyInto, dot, maxAbs, neg, scale, sub, sumAbs } from './vec.js';

/** Options of `lbfgs`, named after torch.optim.LBFGS's. */
export interface LbfgsOptions {
  /** Step length of every iteration after the first (default 1). */
  lr?: number;
  /** Iterations per step (default 20). */
  maxIter?: number;
  /** Loss evaluations per step (default ⌊maxIter·5/4⌋). */
  maxEval?: number;
  /** Stop when max |gᵢ| ≤ this (default 1e-7). */
  toleranceGrad?: number;
  /** Stop when a step or a loss change is below this (default 1e-9). */
  toleranceChange?: number;
  /** Curvature pairs kept (default 100). */
  historySize?: number;
  /** 'strongWolfe' for torch's line_search_fn='strong_wolfe'; omitted (or 'none') for fixed steps. */
  lineSearch?: 'strongWolfe' | 'none';
}

/** The state torch keeps between steps, as plain numbers and 1-D float64 cpu tensors. */
export interface LbfgsState {
  funcEvals: number;
  nIter: number;
  d: Tensor | null;
  t: number | null;
  oldDirs: Tensor[];
  oldStps: Tensor[];
  ro: number[];
  hDiag: number;
  prevFlatGrad: Tensor | null;
  prevLoss: number | null;
}

const OPTIONS = {
  lr: option.number({ above: 0 }).default(1),
  maxIter: option.int(1).default(20),
  maxEval: option.int(1),
  toleranceGrad: option.number({ min: 0 }).default(1e-7),
  toleranceChange: option.number({ min: 0 }).default(1e-9),
  historySize: option.int(1).default(100),
  lineSearch: option.oneOf(['strongWolfe', 'none'] as const).default('none'),
} satisfies OptionSpec<LbfgsOptions>;

const vec = (x: Float64Array): Tensor => tensor(Float64Array.from(x), { dtype: 'float64', backend: 'cpu' });
const read = (t: Tensor): Float64Array => Float64Array.from(t.dataSync());

/** torch's _cubic_interpolate: the minimiser of the cubic through two points with slopes, clamped to the bounds. */
function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 ** 2 - g1 * g2;
  if (d2sq >= 0) {
    const d2 = Math.sqrt(d2sq);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

type Obj = (x: Float64Array, t: number, d: Float64Array) => [number, Float64Array];

/** torch's _strong_wolfe: bracketing then zoom; returns [f, g, t, evaluations]. */
function strongWolfe(obj: Obj, x: Float64Array, t: number, d: Float64Array, f: number, g: Float64Array, gtd: number): [number, Float64Array, number, number] {
  const c1 = 1e-4;
  const c2 = 0.9;
  const toleranceChange = 1e-9;
  const maxLs = 25;
  const dNorm = maxAbs(d);
  let [fNew, gNew] = obj(x, t, d);
  let evals = 1;
  let gtdNew = dot(gNew, d);
  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: Float64Array[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    [fNew, gNew] = obj(x, t, d);
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
  }
  if (lsIter === maxLs) {
    bracket = [0, t];
    bracketF = [f, fNew];
    bracketG = [g, gNew];
  }
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1]! - bracket[0]!) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);
    const bMax = Math.max(...bracket);
    const bMin = Math.min(...bracket);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;
    [fNew, gNew] = obj(x, t, d);
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]!) {
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew;
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) done = true;
      else if (gtdNew * (bracket[highPos]! - bracket[lowPos]!) >= 0) {
        bracket[highPos] = bracket[lowPos]!;
        bracketF[highPos] = bracketF[lowPos]!;
        bracketG[highPos] = bracketG[lowPos]!;
        bracketGtd[highPos] = bracketGtd[lowPos]!;
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew;
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos]!, bracketG[lowPos]!, bracket[lowPos]!, evals];
}

/**
 * L-BFGS with torch.optim.LBFGS's options, defaults and iterates: one `step(f, params, state)` is
 * one `optimizer.step(closure)` (same iterates to float64 rounding, with and without the
 * strong-Wolfe line search); `loss` is the closure's first value, as torch returns.
 */
export function lbfgs(options?: LbfgsOptions): SecondOrderMethod<LbfgsState> {
  const where = 'lbfgs';
  const o = checkOptions(where, options, OPTIONS);
  const maxEval = o.maxEval ?? Math.floor((o.maxIter * 5) / 4);
  return tidyStep<LbfgsState>({
    name: where,
    init: (params: PyTree): LbfgsState => {
      stepArgs(where, () => undefined, params, {});
      return { funcEvals: 0, nIter: 0, d: null, t: null, oldDirs: [], oldStps: [], ro: [], hDiag: 1, prevFlatGrad: null, prevLoss: null };
    },
    step(f, params, state) {
      const space = stepArgs(where, f, params, state);
      const ev = new Evaluator(where, f, space);
      let funcEvals = state.funcEvals;
      let nIterTotal = state.nIter;
      let x = toFlat(space, where, 'params', params);
      let [loss, flatGrad] = ev.valueAndGrad(x);
      const origLoss = loss;
      let currentEvals = 1;
      funcEvals += 1;
      let optCond = maxAbs(flatGrad) <= o.toleranceGrad;
      if (optCond) return { params, state: { ...state, funcEvals }, loss: origLoss, cost: ev.cost };
      let d = state.d ? read(state.d) : new Float64Array(0);
      let t = state.t ?? 0;
      let oldDirs = state.oldDirs.map(read);
      let oldStps = state.oldStps.map(read);
      let ro = [...state.ro];
      let hDiag = state.hDiag;
      let prevFlatGrad = state.prevFlatGrad ? read(state.prevFlatGrad) : null;
      let prevLoss = state.prevLoss;
      let nIter = 0;
      while (nIter < o.maxIter) {
        nIter++;
        nIterTotal++;
        if (nIterTotal === 1) {
          d = neg(flatGrad);
          oldDirs = [];
          oldStps = [];
          ro = [];
          hDiag = 1;
        } else {
          const y = sub(flatGrad, prevFlatGrad!);
          const s = scale(d, t);
          const ys = dot(y, s);
          if (ys > 1e-10) {
            if (oldDirs.length === o.historySize) {
              oldDirs.shift();
              oldStps.shift();
              ro.shift();
            }
            oldDirs.push(y);
            oldStps.push(s);
            ro.push(1 / ys);
            hDiag = ys / dot(y, y);
          }
          const numOld = oldDirs.length;
          const al = new Array<number>(numOld);
          const q = neg(flatGrad);
          for (let i = numOld - 1; i >= 0; i--) {
            al[i] = dot(oldStps[i]!, q) * ro[i]!;
            axpyInto(q, -al[i]!, oldDirs[i]!);
          }
          const r = scale(q, hDiag);
          for (let i = 0; i < numOld; i++) {
            const be = dot(oldDirs[i]!, r) * ro[i]!;
            axpyInto(r, al[i]! - be, oldStps[i]!);
          }
          d = r;
        }
        prevFlatGrad = Float64Array.from(flatGrad);
        prevLoss = loss;
        t = nIterTotal === 1 ? Math.min(1, 1 / sumAbs(flatGrad)) * o.lr : o.lr;
        const gtd = dot(flatGrad, d);
        if (gtd > -o.toleranceChange) break;
        let lsEvals = 0;
        if (o.lineSearch === 'strongWolfe') {
          const obj: Obj = (x0, step, dir) => ev.valueAndGrad(axpy(x0, step, dir));
          [loss, flatGrad, t, lsEvals] = strongWolfe(obj, x, t, d, loss, flatGrad, gtd);
          x = axpy(x, t, d);
          optCond = maxAbs(flatGrad) <= o.toleranceGrad;
        } else {
          x = axpy(x, t, d);
          if (nIter !== o.maxIter) {
            [loss, flatGrad] = ev.valueAndGrad(x);
            optCond = maxAbs(flatGrad) <= o.toleranceGrad;
            lsEvals = 1;
          }
        }
        currentEvals += lsEvals;
        funcEvals += lsEvals;
        if (nIter === o.maxIter) break;
        if (currentEvals >= maxEval) break;
        if (optCond) break;
        if (maxAbs(scale(d, t)) <= o.toleranceChange) break;
        if (Math.abs(loss - prevLoss) < o.toleranceChange) break;
      }
      const next: LbfgsState = {
        funcEvals,
        nIter: nIterTotal,
        d: vec(d),
        t,
        oldDirs: oldDirs.map(vec),
        oldStps: oldStps.map(vec),
        ro,
        hDiag,
        prevFlatGrad: prevFlatGrad ? vec(prevFlatGrad) : null,
        prevLoss,
      };
      return { params: fromFlat(space, x), state: next, loss: origLoss, cost: ev.cost };
    },
  });
}
