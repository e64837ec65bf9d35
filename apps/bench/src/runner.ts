import { mkdirSync, writeFileSync } from 'node:fs';
import { numTensors } from '@ddopt/tensor';
import { join } from 'node:path';
import type { Experiment, ExperimentResult, Progress, RunConfig } from './experiment.js';
import { renderReport } from './report/html.js';
import { collectVersions } from './versions.js';

export interface ExperimentRecord {
  id: string;
  title: string;
  seedDoc: string;
  reference: string;
  seed: number;
  status: 'ok' | 'crashed';
  /** Tensors the experiment left on a tfjs backend (0 for cpu, whose tensors are garbage collected). */
  leakedTensors: number;
  error?: string;
  seconds: number;
  result?: ExperimentResult;
}

export interface RunReport {
  createdAt: string;
  mode: RunConfig['mode'];
  seed: number;
  backend: RunConfig['backend'];
  seconds: number;
  versions: Record<string, string>;
  experiments: ExperimentRecord[];
}

/** Runs experiments one after another; a crash is recorded (with its stack), never rethrown. */
export async function runExperiments(experiments: Experiment[], config: RunConfig, progressFor: (id: string) => Progress & { stop(): void }): Promise<RunReport> {
  const t0 = performance.now();
  const records: ExperimentRecord[] = [];
  for (const exp of experiments) {
    const progress = progressFor(exp.id);
    const start = performance.now();
    const before = numTensors(config.backend);
    const base = { id: exp.id, title: exp.title, seedDoc: exp.seed, reference: exp.reference, seed: config.seed };
    try {
      const result = await exp.run(config, progress);
      records.push({ ...base, status: 'ok', seconds: (performance.now() - start) / 1000, leakedTensors: numTensors(config.backend) - before, result });
    } catch (e) {
      const err = e as Error;
      records.push({ ...base, status: 'crashed', error: err.stack ?? String(err), seconds: (performance.now() - start) / 1000, leakedTensors: numTensors(config.backend) - before });
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
