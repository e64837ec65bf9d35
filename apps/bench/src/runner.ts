import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Experiment, type ExperimentRecord, type Progress, type RunConfig, runExperiment } from '@ddopt/experiments';
import { renderReport } from './report/html.js';
import { collectVersions } from './versions.js';

export interface RunReport {
  createdAt: string;
  mode: RunConfig['mode'];
  seed: number;
  backend: RunConfig['backend'];
  seconds: number;
  versions: Record<string, string>;
  experiments: ExperimentRecord[];
}

/** Runs experiments one after another with a progress bar each; crashes are recorded, not rethrown. */
export async function runExperiments(experiments: Experiment[], config: RunConfig, progressFor: (id: string) => Progress & { stop(): void }): Promise<RunReport> {
  const t0 = performance.now();
  const records: ExperimentRecord[] = [];
  for (const exp of experiments) {
    const progress = progressFor(exp.id);
    try {
      records.push(await runExperiment(exp, config, progress));
    } finally {
      progress.stop();
    }
  }
  return {
    createdAt: new Date().toISOString(),
    mode: config.mode,
    seed: config.seed,
    backend: config.backend,
    seconds: (performance.now() - t0) / 1000,
    versions: collectVersions(),
    experiments: records,
  };
}

/** Writes `index.html` and `results.json` into `dir` (created if missing); returns their paths. */
export function writeReport(report: RunReport, dir: string): { html: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const html = join(dir, 'index.html');
  const json = join(dir, 'results.json');
  writeFileSync(html, renderReport(report));
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  return { html, json };
}
