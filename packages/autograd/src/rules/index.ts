import { binaryJvp, binaryVjp, castJvp, castVjp, whereJvp, whereVjp } from './binary.js';
import { conv2dJvp, conv2dVjp } from './conv2d.js';
import { concatJvp, concatVjp, gatherJvp, gatherVjp, padJvp, padVjp, scatterAddJvp, scatterAddVjp, sliceJvp, sliceVjp } from './indexing.js';
import { matmulJvp, matmulVjp } from './matmul.js';
import { broadcastToJvp, broadcastToVjp, reshapeJvp, reshapeVjp, reverseJvp, reverseVjp, transposeJvp, transposeVjp } from './movement.js';
import { cumsumJvp, cumsumVjp, maxJvp, maxVjp, prodJvp, prodVjp, sumJvp, sumVjp } from './reduce.js';
import { elementwiseBatch, structuralBatch } from './batching.js';
import type { BatchTable, JvpTable, VjpTable } from './types.js';
import { unaryJvp, unaryVjp } from './unary.js';

export type { BatchDim, BatchRule, BatchTable, JvpRule, JvpTable, MaybeTensor, VjpRule, VjpTable } from './types.js';

// Comparisons and arg-reductions return bool/int32: nothing to differentiate.
const noDerivative = { equal: null, notEqual: null, greater: null, greaterEqual: null, less: null, lessEqual: null, argmax: null, argmin: null } as const;

/** The VJP rule of every primitive (typed so that a primitive without a rule is a compile error). */
export const vjpRules: VjpTable = {
  ...unaryVjp,
  ...binaryVjp,
  ...noDerivative,
  cast: castVjp,
  where: whereVjp,
  sum: sumVjp,
  prod: prodVjp,
  max: maxVjp,
  cumsum: cumsumVjp,
  reshape: reshapeVjp,
  transpose: transposeVjp,
  broadcastTo: broadcastToVjp,
  slice: sliceVjp,
  pad: padVjp,
  concat: concatVjp,
  reverse: reverseVjp,
  gather: gatherVjp,
  scatterAdd: scatterAddVjp,
  matmul: matmulVjp,
  conv2d: conv2dVjp,
};

/** The JVP rule of every primitive. */
export const jvpRules: JvpTable = {
  ...unaryJvp,
  ...binaryJvp,
  ...noDerivative,
  cast: castJvp,
  where: whereJvp,
  sum: sumJvp,
  prod: prodJvp,
  max: maxJvp,
  cumsum: cumsumJvp,
  reshape: reshapeJvp,
  transpose: transposeJvp,
  broadcastTo: broadcastToJvp,
  slice: sliceJvp,
  pad: padJvp,
  concat: concatJvp,
  reverse: reverseJvp,
  gather: gatherJvp,
  scatterAdd: scatterAddJvp,
  matmul: matmulJvp,
  conv2d: conv2dJvp,
};

/** The batching rule of every primitive (vmap's level; typed so that a primitive without one is a compile error). */
export const batchRules: BatchTable = {
  ...elementwiseBatch,
  ...structuralBatch,
};
