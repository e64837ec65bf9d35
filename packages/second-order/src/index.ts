// @ddopt/second-order — curvature as linear operators, Krylov solvers, Hessian spectra and the
// second-order methods of the seeds (LiSSA, AdaHessian, Gauss-Newton, SQGN / stochastic L-BFGS),
// with L-BFGS and Newton-CG beside them. float64 on cpu is the reference setting.
export { type LinearOperator, type LinearOperatorOptions, linearOperator, matrixOperator, damped, denseMatrix } from './operator.js';
export type { Select } from './select.js';
export { hessianOperator, type HessianOperatorOptions } from './hessian-operator.js';
export { type SplitLoss, splitLoss, ggnOperator, ggnvp } from './ggn.js';
export { fisherOperator, fishervp, type FisherOptions } from './fisher.js';
export { cg, type CgOptions, type CgResult, type CgReason } from './cg.js';
export { lanczos, type LanczosOptions, type LanczosResult } from './lanczos.js';
export { powerIteration, type PowerIterationOptions, type PowerIterationResult } from './power-iteration.js';
export { topEigenvalues, hessianEigenvalues, type TopEigenvaluesOptions, type HessianEigenvaluesOptions, type EigenResult } from './spectrum.js';
export {
  hutchinsonTrace,
  hessianTrace,
  hutchinsonDiagonal,
  hessianDiagonal,
  type TraceOptions,
  type HessianTraceOptions,
  type TraceResult,
  type DiagonalOptions,
  type HessianDiagonalOptions,
  type DiagonalResult,
} from './hutchinson.js';
export { slqDensity, hessianDensity, densityOnGrid, type DensityOptions, type HessianDensityOptions, type SpectralDensity, type DensityOnGridOptions } from './density.js';
export { type SecondOrderMethod, type StepResult, type StepCost, type FirstOrderState, firstOrder } from './method.js';
export { lbfgs, type LbfgsOptions, type LbfgsState } from './lbfgs.js';
export { newtonCg, gaussNewton, type TruncatedNewtonOptions, type TruncatedNewtonState } from './truncated-newton.js';
export { lissa, type LissaOptions, type LissaState, type LissaDraw } from './lissa.js';
export { adahessian, scaleByAdahessian, type AdahessianOptions, type AdahessianState, type ScaleByAdahessianOptions, type AdahessianScaleState } from './adahessian.js';
export { stochasticLbfgs, sqgn, type StochasticLbfgsOptions, type SqgnOptions, type StochasticLbfgsState } from './stochastic-lbfgs.js';
