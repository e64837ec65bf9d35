// @ddopt/optimizers — gradient transformations, the uniform framework, PyTorch presets, schedules, projections.
export type { GradientTransformation, Schedule, ScalarOrSchedule, State, UpdateExtra, UpdateResult } from './types.js';
export { applyUpdates, evalPoint, valueAt } from './base.js';
export { chain } from './chain.js';
export { disposeReplaced } from './memory.js';
export { trainStep, type TrainState, type TrainStepOptions, type TrainStepResult } from './train-step.js';
export { fit, type FitOptions, type FitResult } from './fit.js';
export { stateToJSON, stateFromJSON, type StateJSON } from './serialize.js';
export * from './transforms/index.js';
export * from './presets/index.js';
export { uniformFramework, momentumLookahead, adaptiveLookahead, type Lookahead, type UniformFrameworkOptions, type UniformFrameworkState } from './uniform-framework.js';
export * from './seed-forms/index.js';
export * from './schedules/index.js';
export * from './projections/index.js';
