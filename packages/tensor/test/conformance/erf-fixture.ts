// erf and erfc recorded from Python's math module by test/fixtures/record_erf.py.
import { readFileSync } from 'node:fs';

/** [x, erf(x), erfc(x)]. */
export type ErfRow = [number, number, number];

interface Fixture {
  /** float32-representable inputs. */
  points: ErfRow[];
  /** Inputs only float64 holds (tiny, subnormal, between float32 values). */
  float64Points: ErfRow[];
}

export const ERF_FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/erf.json', import.meta.url), 'utf8')) as Fixture;

/** The column of `erf` or `erfc` in an ErfRow. */
export const ERF_COLUMN = { erf: 1, erfc: 2 } as const;
