import type { Primitive, Tensor } from '@ddopt/tensor';
import { NoJvpRuleError } from './errors.js';

/** A shape as `[2,3]`. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** The error for a primitive without a rule, naming it. */
export function missingRule(kind: 'VJP' | 'JVP', primitive: Primitive | string): Error {
  const msg = `autograd: primitive "${primitive}" has no ${kind} rule, so it cannot be differentiated in ${kind === 'VJP' ? 'reverse' : 'forward'} mode`;
  return kind === 'JVP' ? new NoJvpRuleError(msg) : new Error(msg);
}

/**
 * Whether `x` is a ddopt tensor, by the same structural mark `@ddopt/tensor`'s `isTensor`
 * reads. Kept local: the tensor package's CJS build (tsup splitting) rewrites the class field
 * `isTensor` into an assignment to its `isTensor` export, which breaks that export in CJS.
 */
export function isTensorValue(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && (x as Tensor).isTensor === true;
}
