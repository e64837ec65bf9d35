export { constant, piecewiseConstant, stepDecay, exponentialDecay, linear, polynomial } from './basic.js';
export { cosineDecay, warmupCosine, oneCycle, sgdr } from './cosine.js';
export { demonDecay } from './demon.js';
export { reduceOnPlateau, type ReduceOnPlateauOptions, type ReduceOnPlateauState } from './reduce-on-plateau.js';
