import type { Table } from '@ddopt/experiments';

/** What a bench suite returns: printed tables plus the raw measurements for bench.json. */
export interface SuiteResult {
  suite: string;
  tables: (Table & { title: string })[];
  notes: string[];
  measurements: Record<string, unknown>;
}

export interface BenchOptions {
  quick: boolean;
}
