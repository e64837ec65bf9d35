import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Experiment, type ExperimentRecord, type Progress, type RunConfig, runExperiment } from '@ddopt/experiments';
import { runSweep, runSweepOnQueue } from '@ddopt/experiments/node';
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

/** How `runExperiments` runs experiments that declare a sweep. */
export interface SweepRunOptions {
  /** Worker threads for a sweep's jobs (default: the machine's available parallelism). */
  workers?: number;
  /** Where a sweep's finished jobs are checkpointed: `<jobsDir>/<experiment id>/` (none: no checkpoints). */
  jobsDir?: string;
  /** URL of the module exporting an experiment that is not in the registry (tests). */
  moduleOf?: (id: string) => string | undefined;
  /** Put a sweep's jobs on this Redis queue (`redis://[:password@]host:port`) for `ddopt worker`s instead of running them on threads here. */
  queue?: { url: string; name?: string; log?: (line: string) => void };
  /** Where a `--full` run prints each experiment's `estimateFull` just before that experiment starts (none: not printed). */
  log?: (line: string) => void;
}

/** Throws listing a sweep's crashed jobs with their points, if any. */
function throwIfCrashed(report: { jobs: unknown[]; crashed: { point: unknown; seed: number; error: string }[] }): void {
  if (!report.crashed.length) return;
  const list = report.crashed.map((c) => `job ${JSON.stringify(c.point)} (seed ${c.seed}) crashed:\n${c.error}`).join('\n');
  throw new Error(`${report.crashed.length} of ${report.crashed.length + report.jobs.length} jobs crashed (the ${report.jobs.length} others are kept; rerun to retry):\n${list}`);
}

/** Runs one sweep experiment's default grid on worker threads (or a Redis queue) and summarizes it; crashed jobs crash the record, listing their points. */
async function runSweepExperiment(exp: Experiment, config: RunConfig, progress: Progress, options: SweepRunOptions): Promise<ExperimentRecord> {
  const sweep = exp.sweep as NonNullable<Experiment['sweep']>;
  return runExperiment({ ...exp, run: async () => {
    if (options.queue) {
      const report = await runSweepOnQueue(exp, sweep.grid(config), {
        queue: options.queue.url,
        seed: config.seed,
        mode: config.mode,
        backend: config.backend,
        progress,
        ...(options.queue.name !== undefined ? { name: options.queue.name } : {}),
        ...(options.queue.log !== undefined ? { log: options.queue.log } : {}),
        ...(options.jobsDir !== undefined ? { dir: join(options.jobsDir, exp.id) } : {}),
      });
      throwIfCrashed(report);
      const result = sweep.summarize(report.jobs, config);
      // The queue's name and how many workers ran its jobs, never its URL (which may hold a password).
      result.setup = { ...result.setup, jobs: report.jobs.length, 'jobs resumed from checkpoints': report.resumed, 'Redis queue': report.queueName, 'queue workers': Object.keys(report.ranBy).length };
      return result;
    }
    const module = options.moduleOf?.(exp.id);
    const report = await runSweep(exp, sweep.grid(config), {
      seed: config.seed,
      mode: config.mode,
      backend: config.backend,
      progress,
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      ...(options.jobsDir !== undefined ? { dir: join(options.jobsDir, exp.id) } : {}),
      ...(module !== undefined ? { module } : {}),
    });
    throwIfCrashed(report);
    const result = sweep.summarize(report.jobs, config);
    result.setup = { ...result.setup, jobs: report.jobs.length, 'jobs resumed from checkpoints': report.resumed, 'worker threads': report.workers };
    return result;
  } }, config, progress);
}

/** Runs experiments one after another with a progress bar each (a sweep's bar counts its jobs); crashes are recorded, not rethrown. */
export async function runExperiments(experiments: Experiment[], config: RunConfig, progressFor: (id: string) => Progress & { stop(): void }, sweepOptions: SweepRunOptions = {}): Promise<RunReport> {
  const t0 = performance.now();
  const records: ExperimentRecord[] = [];
  for (const exp of experiments) {
    if (config.mode === 'full' && exp.estimateFull && sweepOptions.log) sweepOptions.log(`${exp.id} --full: ${exp.estimateFull(config)}`);
    const progress = progressFor(exp.id);
    try {
      records.push(await (exp.sweep ? runSweepExperiment(exp, config, progress, sweepOptions) : runExperiment(exp, config, progress)));
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
