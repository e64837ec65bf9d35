import type { Primitive } from '@ddopt/tensor';
import { NoJvpRuleError } from './errors.js';

/** The error for a primitive without a rule, naming it. */
export function missingRule(kind: 'VJP' | 'JVP', primitive: Primitive | string): Error {
  const msg = `autograd: primitive "${primitive}" has no ${kind} rule, so it cannot be differentiated in ${kind === 'VJP' ? 'reverse' : 'forward'} mode`;
  return kind === 'JVP' ? new NoJvpRuleError(msg) : new Error(msg);
}

