import type { Arbitrary } from 'fast-check';

/** One public function whose options are declared: how to call it, options it accepts, and wrong values per key. */
export interface OptionRow {
  fn: string;
  call: (options: Record<string, unknown>) => unknown;
  valid: Record<string, unknown>;
  wrong: Record<string, Arbitrary<unknown>>;
}

/** Values of every plain kind; wrong-value arbitraries filter it. */
export const junk: Arbitrary<unknown>;

/** The unknown-key and wrong-value properties of every row, as one describe block. */
export function describeOptionProperties(rows: OptionRow[], settings?: { known?: string[]; numRuns?: number; seed?: number }): void;
