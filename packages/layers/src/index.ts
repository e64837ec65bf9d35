// @ddopt/layers — init/apply modules, initializers, losses, metrics and the seeds' model builders.
export * from './module.js';
export * as initializers from './initializers.js';
export type { Initializer, InitializerOptions, HeOptions } from './initializers.js';
export { fans } from './fans.js';
export { pytorchDefault } from './initializers.js';
export * as activations from './activations.js';
export type { Activation, ActivationName } from './activations.js';
export { relu, leakyRelu, quadratic, tanh, sigmoid, softplus, gelu, erf, identity, resolveActivation } from './activations.js';
export { activation, prelu, type PReluOptions } from './activationLayers.js';
export { dense, type DenseOptions, type DenseParams } from './dense.js';
export { sequential, asModule, type LayerLike } from './sequential.js';
export * from './losses.js';
export * from './metrics.js';
export { countParams } from './params.js';
export { mlp, type MlpOptions } from './models/mlp.js';
