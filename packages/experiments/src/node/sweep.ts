// `runSweep`: a sweep's jobs on a piscina worker-thread pool, each finished job checkpointed into
// the run folder as it completes, done jobs skipped on a rerun, crashes reported with their point.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { type Experiment, type GridPoint, type JobOutput, type JobRecord, type Progress, RUN_BACKENDS, type RunBackend, type RunMode, silentProgress } from '../contract.js';
import { checkGrid, checkJobOutput } from '../sweep.js';
import { planJobs, type RunIdentity, writeCheckpoint } from './checkpoint.js';
import type { SweepTask } from './sweep-worker.js';

/** What `runSweep` accepts besides the experiment and its grid. */
export interface SweepOptions {
  /** Worker threads (default: the machine's available parallelism). Results do not depend on it. */
  workers?: number;
  /** The sweep's seed; each job's is `jobSeed(seed, point)` (default 0). */
  seed?: number;
  mode?: RunMode;
  backend?: RunBackend;
  /** The run folder: each finished job is written there as it completes, and a rerun skips those found. */
  dir?: string;
  /** Ticks once per finished job (crashed included) over the jobs still to run. */
  progress?: Progress;
  /** URL of a module exporting the experiment, for one that is not in the registry (tests, your own). */
  module?: string;
}

/** A job that threw: its configuration and the error's stack. */
export interface CrashedJob {
  point: GridPoint;
  seed: number;
  error: string;
}

/** What a sweep produced: finished jobs in grid order, crashed ones, and how many came from checkpoints. */
export interface SweepReport {
  experimentId: string;
  seed: number;
  mode: RunMode;
  backend: RunBackend;
  workers: number;
  jobs: JobRecord[];
  crashed: CrashedJob[];
  /** Jobs read back from the run folder instead of run. */
  resumed: number;
  seconds: number;
}

const OPTION_KEYS = new Set(['workers', 'seed', 'mode', 'backend', 'dir', 'progress', 'module']);

function checkOptions(options: SweepOptions): Required<Pick<SweepOptions, 'workers' | 'seed' | 'mode' | 'backend'>> {
  if (options === null || typeof options !== 'object') throw new TypeError(`runSweep: options must be an object, got ${String(options)}`);
  for (const k of Object.keys(options)) if (!OPTION_KEYS.has(k)) throw new Error(`runSweep: unknown option "${k}"; known options: ${[...OPTION_KEYS].join(', ')}`);
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`runSweep: workers must be a positive integer, got ${String(options.workers)}`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`runSweep: seed must be an integer in [0, 2^32), got ${String(options.seed)}`);
  const mode = options.mode ?? 'quick';
  if (mode !== 'quick' && mode !== 'full') throw new RangeError(`runSweep: mode must be "quick" or "full", got ${String(mode)}`);
  const backend = options.backend ?? 'cpu';
  if (!(RUN_BACKENDS as readonly string[]).includes(backend)) throw new RangeError(`runSweep: backend must be one of ${RUN_BACKENDS.join(', ')}, got ${String(backend)}`);
  return { workers, seed, mode, backend };
}

/** The worker file and the Node flags it needs: the built `.js`/`.cjs` next to this file, or, from sources, a bootstrap that registers tsx. */
export function workerEntry(): { filename: string; execArgv: string[] } {
  const here = import.meta.url;
  const ext = here.slice(here.lastIndexOf('.'));
  if (ext !== '.ts') return { filename: new URL(`./sweep-worker${ext}`, here).href, execArgv: [] };
  return { filename: new URL('./sweep-worker-source.mjs', here).href, execArgv: ['--conditions=source'] };
}

/**
 * Runs `experiment`'s sweep over `grid` on `workers` threads: each job seeded by `jobSeed(seed,
 * point)`, each finished one written to `dir` as it completes (a rerun skips them), crashes
 * reported with their configuration; never throws for a crashed job.
 */
export async function runSweep(experiment: Experiment, grid: GridPoint[], options: SweepOptions = {}): Promise<SweepReport> {
  const t0 = performance.now();
  if (!experiment?.sweep) throw new TypeError(`runSweep: experiment ${JSON.stringify(experiment?.id)} declares no sweep (Experiment.sweep)`);
  checkGrid('runSweep', grid);
  const { workers, seed, mode, backend } = checkOptions(options);
  if (options.module !== undefined && !/^file:/.test(options.module)) throw new RangeError(`runSweep: module must be a file: URL, got ${JSON.stringify(options.module)}`);
  const progress = options.progress ?? silentProgress;
  const run: RunIdentity = { experimentId: experiment.id, sweepSeed: seed, mode, backend };
  const { done, todo } = planJobs('runSweep', run, grid, options.dir);
  const resumed = done.size;
  const crashed = new Map<number, CrashedJob>();

  if (todo.length) {
    progress.start(todo.length, resumed ? `jobs (${resumed} done before)` : 'jobs');
    const { filename, execArgv } = workerEntry();
    const pool = new Piscina({ filename, execArgv, minThreads: Math.min(workers, todo.length), maxThreads: Math.min(workers, todo.length), idleTimeout: 1000 });
    try {
      await Promise.all(
        todo.map(async ({ index, job, path }) => {
          const task: SweepTask = { experimentId: experiment.id, job, ...(options.module !== undefined ? { moduleUrl: options.module } : {}) };
          const started = performance.now();
          try {
            const output = (await pool.run(task)) as JobOutput;
            checkJobOutput(experiment.id, job.point, output);
            const record: JobRecord = { point: job.point, seed: job.seed, output, seconds: (performance.now() - started) / 1000 };
            if (path !== undefined) writeCheckpoint(path, run, record);
            done.set(index, record);
          } catch (e) {
            const err = e as Error;
            crashed.set(index, { point: job.point, seed: job.seed, error: err?.stack ?? String(e) });
          } finally {
            progress.tick();
          }
        }),
      );
    } finally {
      await pool.destroy();
    }
  }
  const order = (m: Map<number, unknown>) => [...m.keys()].sort((a, b) => a - b);
  return {
    experimentId: experiment.id,
    seed,
    mode,
    backend,
    workers,
    jobs: order(done).map((i) => done.get(i) as JobRecord),
    crashed: order(crashed).map((i) => crashed.get(i) as CrashedJob),
    resumed,
    seconds: (performance.now() - t0) / 1000,
  };
}
