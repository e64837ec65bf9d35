import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textTable } from '../report/text-table.js';
import { collectVersions } from '../versions.js';
import type { SuiteResult } from './types.js';

/** Suites `ddopt bench` knows. */
export const BENCH_SUITES = ['tensor', 'autograd', 'second-order', 'browser', 'cpu-time', 'sweeps'] as const;
export type BenchSuite = (typeof BENCH_SUITES)[number];

/** Runs suites one by one, prints their tables and writes `bench.json` into `outDir`. */
export async function runBench(suites: string[], options: { quick: boolean; outDir: string; log: (s: string) => void }): Promise<SuiteResult[]> {
  const results: SuiteResult[] = [];
  for (const suite of suites) {
    options.log(`\n== bench ${suite}${options.quick ? ' (quick)' : ''} ==\n`);
    // Loaded on demand so `bench tensor` does not need the autograd package.
    const result =
      suite === 'tensor'
        ? await (await import('./tensor-suite.js')).tensorSuite(options)
        : suite === 'second-order'
          ? await (await import('./second-order-suite.js')).secondOrderSuite(options)
          : suite === 'browser'
            ? await (await import('./browser-suite.js')).browserSuite(options)
            : suite === 'cpu-time'
              ? await (await import('./cputime-suite.js')).cputimeSuite(options)
              : suite === 'sweeps'
                ? await (await import('./sweeps-suite.js')).sweepsSuite(options)
            : await (await import('./autograd-suite.js')).autogradSuite(options);
    for (const t of result.tables) options.log(`\n${t.title}\n${textTable(t.headers, t.rows)}\n`);
    for (const n of result.notes) options.log(`note: ${n}\n`);
    results.push(result);
  }
  mkdirSync(options.outDir, { recursive: true });
  const file = join(options.outDir, 'bench.json');
  writeFileSync(file, `${JSON.stringify({ createdAt: new Date().toISOString(), quick: options.quick, versions: collectVersions(), suites: results }, null, 2)}\n`);
  options.log(`\nbench.json: ${file}\n`);
  return results;
}
