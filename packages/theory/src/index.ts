// @ddopt/theory — closed forms and checks from deep-learning theory (plain numbers or tensors in, out).
export { minNormRisk, minNormRiskExact, type MinNormRisk, type MinNormRiskAsymptotic, type MinNormRiskOptions } from './double-descent.js';
export { reluKernel, preluKernel, vectorAngle } from './relu-kernel.js';
export { reluPopulationLoss, reluPopulationObjective, type ReluPopulationObjective, type ReluPopulationOptions } from './relu-population.js';
export { cnnPopulationLoss, cnnCriticalPoints, twoLayerCnnPopulationLoss, type CnnCriticalPoints } from './cnn.js';
export { gramInfinity, gramMatrix, empiricalNtk } from './gram.js';
export { identityNet, identityNetPopulationLoss, identityAuxiliaryFunction, identityAuxiliaryMatrix, type IdentityNetOptions } from './identity.js';
export { quadraticNetLoss } from './quadratic.js';
export { linearResidualLoss, residualProduct, type LinearResidualOptions } from './residual.js';
export { permutationDistance } from './permutation.js';
export { empiricalHermiteMoments, empiricalProjectedMoment4, reluHermiteCoefficient, reluHermiteMoments, reluProjectedMoment4, tensorInitialization, type TensorInitialization, type TensorInitializationOptions } from './tensor-init.js';
export { deepGramKernel, type DeepGramKernelOptions } from './deep-kernel.js';
export { hardThreshold, projectedGradientDescent, type ProjectedGradientDescentOptions, type ProjectedGradientDescentResult } from './projected-gd.js';
export { alternatingMinimization, type AlternatingMinimizationOptions, type AlternatingMinimizationResult } from './alternating-minimization.js';
export { apRom, epRom, symmetricRankProjection, type ApRomOptions, type ApRomResult, type EpRomResult, type RomOptions } from './rom.js';
