// Composite ops: built only from `bind` and each other, so @ddopt/autograd differentiates them.
export type { Operand } from './operand.js';
export * from './arithmetic.js';
export * from './unary.js';
export * from './cast.js';
export * from './compare.js';
export * from './reduce.js';
export * from './matmul.js';
export * from './movement.js';
export * from './indexing.js';
export * from './nn.js';
export * from './conv.js';
export * from './pool.js';
